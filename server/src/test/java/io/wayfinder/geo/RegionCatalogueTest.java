package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegionCatalogueTest {
    private static final RegionCatalogue BUILT_IN = RegionCatalogue.builtIn();

    @Test
    void builtInCatalogueLoadsAllThreeClouds() {
        assertThat(BUILT_IN.size()).isGreaterThan(100);
        assertThat(BUILT_IN.all()).extracting(Region::provider).contains("azure", "aws", "gcp");
        assertThat(RegionCatalogue.builtIn()).isSameAs(BUILT_IN);
    }

    @Test
    void builtInNamesAreUniqueIgnoringCase() {
        Set<String> seen = new HashSet<>();
        for (String name : BUILT_IN.names()) {
            assertThat(seen.add(name.toLowerCase(Locale.ROOT))).as("duplicate %s", name).isTrue();
        }
        assertThat(seen).hasSize(BUILT_IN.size());
    }

    @Test
    void everyBuiltInRegionHasALocationAndCoordinatesInRange() {
        assertThat(BUILT_IN.all()).allSatisfy(region -> {
            assertThat(region.name()).isNotBlank().doesNotContainAnyWhitespaces();
            assertThat(region.location()).isNotBlank();
            assertThat(region.latitude()).isBetween(-90.0, 90.0);
            assertThat(region.longitude()).isBetween(-180.0, 180.0);
            assertThat(region.latitude() == 0 && region.longitude() == 0).as("%s at 0,0", region.name()).isFalse();
        });
    }

    @ParameterizedTest(name = "{0} ({1}) near {2},{3}")
    @CsvSource(textBlock = """
            westeurope,      azure, 52.37,   4.90
            northeurope,     azure, 53.35,  -6.26
            eastus,          azure, 37.37, -79.82
            uksouth,         azure, 51.50,  -0.12
            japaneast,       azure, 35.68, 139.77
            australiaeast,   azure, -33.86, 151.21
            us-east-1,       aws,   38.9,  -77.4
            eu-west-1,       aws,   53.35,  -6.26
            ap-southeast-2,  aws,   -33.86, 151.21
            sa-east-1,       aws,   -23.55, -46.63
            europe-west1,    gcp,   50.45,   3.82
            us-central1,     gcp,   41.26, -95.86
            asia-northeast1, gcp,   35.69, 139.69
            """)
    void wellKnownRegionsSitWhereTheyAre(String name, String provider, double latitude, double longitude) {
        Region region = BUILT_IN.find(name).orElseThrow();

        assertThat(region.name()).isEqualTo(name);
        assertThat(region.provider()).isEqualTo(provider);
        // Within ~150 km: data centres sit outside the city they are named after.
        assertThat(GreatCircle.kilometres(region.latitude(), region.longitude(), latitude, longitude)).isLessThan(150);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            WestEurope,  westeurope
            ' eastus ',  eastus
            US-EAST-1,   us-east-1
            """)
    void namesAreFoundIgnoringCaseAndSpaces(String asked, String name) {
        assertThat(BUILT_IN.find(asked)).map(Region::name).hasValue(name);
        assertThat(BUILT_IN.contains(asked)).isTrue();
    }

    /** Azure's portal, CLI output and Traffic Manager exports name regions by their display names. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            East US,              eastus
            West Europe,          westeurope
            Southeast Asia,       southeastasia
            SOUTHEAST ASIA,       southeastasia
            southeast  asia,      southeastasia
            East US 2,            eastus2
            Australia Central 2,  australiacentral2
            UK South,             uksouth
            """)
    void azureDisplayNamesAreFoundIgnoringCaseAndSpaces(String displayed, String name) {
        assertThat(BUILT_IN.find(displayed)).map(Region::name).hasValue(name);
        assertThat(BUILT_IN.contains(displayed)).isTrue();
    }

    @Test
    void everyAzureRegionHasADisplayNameAndNoOtherProviderHas() {
        assertThat(BUILT_IN.all()).allSatisfy(region -> assertThat(region.displayName().isEmpty())
                .as("%s (%s) display name '%s'", region.name(), region.provider(), region.displayName())
                .isEqualTo(!region.provider().equals("azure")));
        assertThat(BUILT_IN.find("eastus")).map(Region::displayName).hasValue("East US");
    }

    @Test
    void displayNamesDoNotMakeTheListingLonger() {
        assertThat(BUILT_IN.names()).hasSize(BUILT_IN.size()).doesNotContain("East US");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            East US
            east us
            WestEurope
            """)
    void customRegionClashingWithADisplayNameIsRejected(String name) {
        List<Region> extra = List.of(new Region(name, 1, 1, "custom", "Somewhere"));

        assertThatThrownBy(() -> BUILT_IN.with(extra))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "' already exists in the catalogue: azure region");
    }

    @Test
    void aCustomRegionIsFoundWithSpacesIgnored() {
        RegionCatalogue extended = BUILT_IN.with(List.of(new Region("paris dc", 48.86, 2.35, "custom", "Paris")));

        assertThat(extended.find("ParisDC")).map(Region::name).hasValue("paris dc");
    }

    @Test
    void everyRegionIsTheSameFoundByItsNameAsGivenAndByOtherSpellingsOfIt() {
        RegionCatalogue extended = BUILT_IN.with(List.of(new Region("paris dc", 48.86, 2.35, "custom", "Paris")));
        for (Region region : extended.all()) {
            String name = region.name();
            assertThat(extended.find(name)).as(name).containsSame(region);
            assertThat(extended.find(name.toUpperCase(Locale.ROOT))).as(name).containsSame(region);
            assertThat(extended.find(" " + name.replace("", " ").strip() + "\t")).as(name).containsSame(region);
            assertThat(extended.contains(name)).as(name).isTrue();
        }
    }

    @Test
    void unknownNameIsNotFound() {
        assertThat(BUILT_IN.find("mars-north-1")).isEmpty();
        assertThat(BUILT_IN.contains("mars-north-1")).isFalse();
    }

    @Test
    void customRegionsAreAddedToACopy() {
        Region site = new Region("dc-frankfurt", 50.11, 8.68, "custom", "Frankfurt DE");

        RegionCatalogue extended = BUILT_IN.with(List.of(site));

        assertThat(extended.find("DC-Frankfurt")).hasValue(site);
        assertThat(extended.size()).isEqualTo(BUILT_IN.size() + 1);
        assertThat(BUILT_IN.contains("dc-frankfurt")).isFalse();
        assertThat(extended.names()).endsWith("dc-frankfurt");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            westeurope
            WestEurope
            us-east-1
            """)
    void customRegionClashingWithABuiltInOneIsRejected(String name) {
        List<Region> extra = List.of(new Region(name, 1, 1, "custom", "Somewhere"));

        assertThatThrownBy(() -> BUILT_IN.with(extra))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void twoCustomRegionsWithOneNameAreRejected() {
        List<Region> extra = List.of(new Region("dc-1", 1, 1, "custom", "A"), new Region("DC-1", 2, 2, "custom", "B"));

        assertThatThrownBy(() -> BUILT_IN.with(extra))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DC-1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            westeurop,    westeurope
            WestEurop,    westeurope
            west-europe,  westeurope
            us-east1,     us-east1
            us-eest-1,    us-east-1
            uk-south,     uksouth
            """)
    void suggestFindsTheClosestName(String misspelt, String expected) {
        assertThat(BUILT_IN.suggest(misspelt)).hasValue(expected);
    }

    @Test
    void suggestOffersNothingWhenNothingIsClose() {
        assertThat(BUILT_IN.suggest("qqqqqqqqqqqqqqq")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''    | 0   | 0    | name
            '  '  | 0   | 0    | name
            x     | 91  | 0    | latitude
            x     | -91 | 0    | latitude
            x     | NaN | 0    | latitude
            x     | 0   | 181  | longitude
            x     | 0   | -181 | longitude
            """)
    void impossibleRegionsAreRejected(String name, double latitude, double longitude, String message) {
        assertThatThrownBy(() -> new Region(name, latitude, longitude, "custom", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** Great-circle distances between well-known places (references: haversine on a 6371 km sphere). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            London - New York      | 51.5074 | -0.1278  | 40.7128 | -74.0060 | 5570  | 10
            Amsterdam - Amsterdam  | 52.3667 | 4.9      | 52.3667 | 4.9      | 0     | 0.001
            Sydney - Tokyo         | -33.86  | 151.21   | 35.68   | 139.77   | 7820  | 20
            pole to pole           | 90      | 0        | -90     | 0        | 20015 | 5
            antipodes on equator   | 0       | 0        | 0       | 180      | 20015 | 5
            across the date line   | 0       | 179.5    | 0       | -179.5   | 111.2 | 0.5
            """)
    void greatCircleDistances(String what, double lat1, double lon1, double lat2, double lon2, double km,
                              double tolerance) {
        assertThat(GreatCircle.kilometres(lat1, lon1, lat2, lon2)).isCloseTo(km, within(tolerance));
        assertThat(GreatCircle.kilometres(lat2, lon2, lat1, lon1)).isCloseTo(km, within(tolerance));
    }
}
