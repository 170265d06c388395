package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.geo.GeoCode.Kind;
import io.wayfinder.net.IpPrefix;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeoCodeCatalogueTest {
    private static final GeoCodeCatalogue BUILT_IN = GeoCodeCatalogue.builtIn();
    private static final IpPrefix ANY = IpPrefix.parse("192.0.2.0/24");

    @Test
    void builtInCatalogueIsReadOnceAndHoldsEveryKind() {
        assertThat(GeoCodeCatalogue.builtIn()).isSameAs(BUILT_IN);
        assertThat(BUILT_IN.all()).extracting(GeoCode::kind)
                .containsOnly(Kind.WORLD, Kind.REGION, Kind.COUNTRY, Kind.SUBDIVISION);
        assertThat(count(Kind.WORLD)).isEqualTo(1);
        assertThat(count(Kind.REGION)).isEqualTo(8);
        assertThat(count(Kind.COUNTRY)).isEqualTo(252);
        assertThat(count(Kind.SUBDIVISION)).isEqualTo(73);
        assertThat(BUILT_IN.size()).isEqualTo(BUILT_IN.all().size());
    }

    @Test
    void theHierarchyIsATreeRootedAtWorld() {
        assertThat(BUILT_IN.at(0).code()).isEqualTo("WORLD");
        assertThat(BUILT_IN.parent(0)).isEqualTo(-1);
        for (GeoCode code : BUILT_IN.all()) {
            assertThat(BUILT_IN.at(code.index())).isSameAs(code);
            if (code.kind() == Kind.WORLD) {
                continue;
            }
            int parent = BUILT_IN.parent(code.index());
            assertThat(parent).as("parent of %s", code.code()).isEqualTo(BUILT_IN.indexOf(code.parent()));
            // Each step up is one kind broader, so every walk reaches WORLD and none can loop.
            assertThat(BUILT_IN.at(parent).kind().ordinal()).as(code.code()).isEqualTo(code.kind().ordinal() - 1);
        }
    }

    @Test
    void everyCountryBelongsToARegionalGroupingAndEverySubdivisionToItsCountry() {
        assertThat(BUILT_IN.all()).allSatisfy(code -> {
            switch (code.kind()) {
                case WORLD -> assertThat(code.parent()).isNull();
                case REGION -> assertThat(code.parent()).isEqualTo("WORLD");
                case COUNTRY -> assertThat(code.parent()).startsWith("GEO-");
                case SUBDIVISION -> assertThat(code.code()).startsWith(code.parent() + "-");
            }
        });
    }

    @Test
    void codesAreUniqueIgnoringCase() {
        Set<String> seen = new HashSet<>();
        for (GeoCode code : BUILT_IN.all()) {
            assertThat(seen.add(code.code().toLowerCase(Locale.ROOT))).as("duplicate %s", code.code()).isTrue();
        }
    }

    /** Hierarchy order: every entry is directly followed by everything below it. */
    @Test
    void entriesAreListedInHierarchyOrder() {
        for (GeoCode code : BUILT_IN.all()) {
            List<GeoCode> subtree = BUILT_IN.subtree(code.index());
            assertThat(subtree.get(0)).isSameAs(code);
            for (GeoCode inside : subtree.subList(1, subtree.size())) {
                assertThat(ancestors(inside.code())).as("%s is below %s", inside.code(), code.code())
                        .contains(code.code());
            }
        }
        assertThat(BUILT_IN.subtree(0)).isEqualTo(BUILT_IN.all());
    }

    /** Each row: a code, then its ancestors up to (not including) WORLD, from Azure's hierarchy. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            FR     | GEO-EU
            GB     | GEO-EU
            RU     | GEO-EU
            XK     | GEO-EU
            UA-CR  | UA, GEO-EU
            TR     | GEO-ME
            IL     | GEO-ME
            US-CA  | US, GEO-NA
            US-DC  | US, GEO-NA
            CA-QC  | CA, GEO-NA
            MX     | GEO-NA
            PR     | GEO-NA
            JP     | GEO-AS
            IN     | GEO-AS
            EG     | GEO-AF
            CG     | GEO-AF
            AQ     | GEO-AN
            BR     | GEO-SA
            AU     | GEO-AP
            AU-NSW | AU, GEO-AP
            NZ     | GEO-AP
            """)
    void knownPlacesSitWhereAzurePutsThem(String code, String ancestors) {
        List<String> expected = new ArrayList<>(Arrays.asList(ancestors.split(",\\s*")));
        expected.add("WORLD");

        assertThat(ancestors(code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            WORLD  | World                                       | WORLD
            GEO-EU | Europe                                      | REGION
            GEO-NA | North America / Central America / Caribbean | REGION
            GEO-AP | Australia / Pacific                         | REGION
            FR     | France                                      | COUNTRY
            CI     | Côte d’Ivoire                               | COUNTRY
            US-CA  | California                                  | SUBDIVISION
            CA-QC  | Québec                                      | SUBDIVISION
            CA-YT  | Yukon Territory                             | SUBDIVISION
            UA-CR  | Region of Crimea                            | SUBDIVISION
            """)
    void entriesCarryAzuresNamesAndTheirKind(String code, String name, Kind kind) {
        GeoCode found = BUILT_IN.find(code).orElseThrow();

        assertThat(found.name()).isEqualTo(name);
        assertThat(found.kind()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(textBlock = """
            fr,         FR
            ' Geo-Eu ', GEO-EU
            us-ca,      US-CA
            world,      WORLD
            au-nsw,     AU-NSW
            """)
    void codesAreFoundIgnoringCaseAndSpaces(String asked, String code) {
        assertThat(BUILT_IN.find(asked)).map(GeoCode::code).hasValue(code);
        assertThat(BUILT_IN.at(BUILT_IN.indexOf(asked)).code()).isEqualTo(code);
    }

    /** Codes Azure does not have, including ones that look right: ISO alpha-3, UK nations, EH. */
    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "FRA", "UK", "GB-ENG", "EH", "GEO-XX", "US-PR", "Europe"})
    void unknownCodesAreNotFound(String code) {
        assertThat(BUILT_IN.find(code)).isEmpty();
        assertThat(BUILT_IN.indexOf(code)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            France,      FR
            europe,      GEO-EU
            California,  US-CA
            Quebec,      CA-QC
            Georgia,     GE
            FRA,         FR
            USA,         US
            AUT,         AT
            UK,          GB
            GEO-EUR,     GEO-EU
            geo_eu,      GEO-EU
            US-CAL,      US-CA
            AU-NSWW,     AU-NSW
            Frnace,      FR
            Austrailia,  AU
            """)
    void suggestFindsWhatWasMeant(String typed, String code) {
        assertThat(BUILT_IN.suggest(typed)).hasValue(code);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"qqqqqqqqqqqq", "123", "GEO-QQQQQ"})
    void suggestOffersNothingWhenNothingIsClose(String typed) {
        assertThat(BUILT_IN.suggest(typed)).isEmpty();
    }

    /** Each row: what a geolocation source said (country, subdivision) and the entry that wins. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(textBlock = """
            US, US-CA,  US-CA
            US, '',     US
            AU, AU-ACT, AU-ACT
            CA, CA-QC,  CA-QC
            UA, UA-43,  UA-CR
            UA, UA-40,  UA-CR
            UA, UA-30,  UA
            GB, GB-ENG, GB
            FR, FR-IDF, FR
            XK, '',     XK
            """)
    void theMostSpecificEntryIsTheSubdivisionElseTheCountry(String country, String subdivision, String code) {
        GeoLocation location = new GeoLocation(1, 1, country, subdivision, ANY, 24);

        assertThat(BUILT_IN.at(BUILT_IN.mostSpecific(location)).code()).isEqualTo(code);
    }

    @ParameterizedTest(name = "country ''{0}''")
    @ValueSource(strings = {"", "EH", "ZZ", "GEO-EU", "WORLD"})
    void aLocationInNoListedCountryHasNoEntry(String country) {
        GeoLocation location = new GeoLocation(1, 1, country, ANY, 24);

        assertThat(BUILT_IN.mostSpecific(location)).isEqualTo(-1);
        assertThat(BUILT_IN.mostSpecific(GeoLocation.unknown(ANY))).isEqualTo(-1);
    }

    @Test
    void aChooserWalksFromTheClientToWorldWithInts() {
        int index = BUILT_IN.mostSpecific(new GeoLocation(37.4, -122.1, "US", "US-CA", ANY, 24));
        List<String> walked = new ArrayList<>();
        for (; index >= 0; index = BUILT_IN.parent(index)) {
            walked.add(BUILT_IN.at(index).code());
        }

        assertThat(walked).containsExactly("US-CA", "US", "GEO-NA", "WORLD");
    }

    @Test
    void aSubtreeIsTheEntryAndEverythingBelowIt() {
        List<GeoCode> australia = BUILT_IN.subtree(BUILT_IN.indexOf("AU"));

        assertThat(australia).extracting(GeoCode::code).containsExactly("AU", "AU-ACT", "AU-NSW", "AU-NT", "AU-QLD",
                "AU-SA", "AU-TAS", "AU-VIC", "AU-WA");
        assertThat(BUILT_IN.subtree(BUILT_IN.indexOf("FR"))).extracting(GeoCode::code).containsExactly("FR");
        assertThat(BUILT_IN.subtree(BUILT_IN.indexOf("GEO-AN"))).extracting(GeoCode::code)
                .containsExactly("GEO-AN", "AQ");
    }

    /** A table that breaks the tree is refused at the line that breaks it (line 3 is the first row). */
    @ParameterizedTest(name = "[{index}] line {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nFR,GEO-XX,France      | 5 | FR: parent GEO-XX is not listed above it
            FR,GEO-EU,France\\nWORLD,,World\\nGEO-EU,WORLD,Europe      | 3 | FR: parent GEO-EU is not listed above it
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nGEO-EU,WORLD,Europa   | 5 | code GEO-EU appears twice
            WORLD,,World\\nEARTH,,Earth                                | 4 | EARTH has no parent; only WORLD is the root
            GEO-EU,,Europe                                             | 3 | GEO-EU has no parent
            WORLD,,World\\nEU,WORLD,Europe                             | 4 | EU is not shaped like a region code
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nfr,GEO-EU,France      | 5 | fr is not shaped like a country code
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nFR,GEO-EU,France\\nFR-IDFX,FR,Paris | 6 | FR-IDFX is not shaped like a subdivision code of FR
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nFR,GEO-EU,France\\nFR-75,FR,Paris\\nX,FR-75,Louvre | 7 | FR-75 is a subdivision
            WORLD,,World\\nGEO-EU,WORLD,Europe,EUR                     | 4 | alpha3 'EUR' must be empty or a country's three letters
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nFR,GEO-EU,France,FRA,FR-75 | 5 | FR: iso codes are for subdivisions only
            WORLD,,World\\nGEO-EU,WORLD,Europe\\nUA,GEO-EU,Ukraine\\nUA-CR,UA,Crimea,,UA-43 RU-KRY | 6 | iso 'RU-KRY' must be an ISO 3166-2 code of UA
            WORLD,,World\\nGEO-EU,WORLD                                | 4 | an entry needs a code and a name
            WORLD,,World\\nGEO-EU,WORLD,Europe,,,extra                 | 4 | expected at most 5 tab-separated fields
            """)
    void aBrokenTableNamesItsLine(String rows, int line, String message) {
        String text = "# a comment\ncode\tparent\tname\talpha3\tiso\n" + rows.replace("\\n", "\n").replace(',', '\t');

        assertThatThrownBy(() -> GeoCodeCatalogue.read("t", new BufferedReader(new StringReader(text))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("t:" + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void aTableWithoutWorldIsRefused() {
        String text = "code\tparent\tname\talpha3\tiso\n";

        assertThatThrownBy(() -> GeoCodeCatalogue.read("t", new BufferedReader(new StringReader(text))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no WORLD entry");
    }

    @Test
    void aTableWithAnotherHeaderIsRefused() {
        String text = "code\tname\tparent\n";

        assertThatThrownBy(() -> GeoCodeCatalogue.read("t", new BufferedReader(new StringReader(text))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("t:1: expected the header line code<tab>parent<tab>name");
    }

    private static List<String> ancestors(String code) {
        List<String> chain = new ArrayList<>();
        for (int i = BUILT_IN.parent(BUILT_IN.indexOf(code)); i >= 0; i = BUILT_IN.parent(i)) {
            chain.add(BUILT_IN.at(i).code());
        }
        return chain;
    }

    private static long count(Kind kind) {
        return BUILT_IN.all().stream().filter(code -> code.kind() == kind).count();
    }
}
