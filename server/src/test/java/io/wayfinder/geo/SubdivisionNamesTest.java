package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.geo.GeoCode.Kind;
import io.wayfinder.net.IpPrefix;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubdivisionNamesTest {
    private static final SubdivisionNames BUILT_IN = SubdivisionNames.builtIn();

    /** ISO's names, DB-IP's spellings where they differ (ACT, Crimea, Sebastopol City) and Azure's. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            US | California                   | US-CA
            US | District of Columbia         | US-DC
            US | '  new   york '              | US-NY
            us | georgia                      | US-GA
            CA | Quebec                       | CA-QC
            CA | Québec                       | CA-QC
            CA | QUÉBEC                       | CA-QC
            CA | Yukon                        | CA-YT
            CA | Yukon Territory              | CA-YT
            CA | Newfoundland and Labrador    | CA-NL
            AU | Australian Capital Territory | AU-ACT
            AU | ACT                          | AU-ACT
            AU | Victoria                     | AU-VIC
            GB | England                      | GB-ENG
            GB | Northern Ireland             | GB-NIR
            GB | Cymru                        | GB-WLS
            UA | Crimea                       | UA-43
            UA | Avtonomna Respublika Krym    | UA-43
            UA | Sebastopol City              | UA-40
            UA | Sevastopol                   | UA-40
            """)
    void namesAreCoded(String country, String name, String code) {
        assertThat(BUILT_IN.code(country, name)).hasValue(code);
    }

    /** The country tells apart names several countries use; names without an entry stay uncoded. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            CA | California
            GE | Georgia
            US | Ontario
            FR | Île-de-France
            JP | Tokyo
            AU | ''
            '' | California
            """)
    void namesOutsideTheTableAreNotCoded(String country, String name) {
        assertThat(BUILT_IN.code(country, name)).isEmpty();
    }

    @Test
    void theTableCoversTheUsCanadianAndAustralianSubdivisionsTheUkNationsAndCrimea() {
        Set<String> countries = new HashSet<>();
        BUILT_IN.allCodes().forEach(code -> countries.add(code.substring(0, 2)));

        assertThat(countries).containsExactlyInAnyOrder("US", "CA", "AU", "GB", "UA");
        assertThat(BUILT_IN.allCodes()).hasSize(51 + 13 + 8 + 4 + 2);
    }

    /** Without this, DB-IP could name a subdivision Azure routes on and the client would match only its country. */
    @Test
    void everySubdivisionTheCatalogueCanMatchHasANamedIsoCode() {
        GeoCodeCatalogue catalogue = GeoCodeCatalogue.builtIn();
        Set<Integer> reached = new HashSet<>();
        for (String code : BUILT_IN.allCodes()) {
            GeoLocation location = new GeoLocation(0, 0, code.substring(0, 2), code, IpPrefix.parse("192.0.2.0/24"), 24);
            reached.add(catalogue.mostSpecific(location));
        }

        assertThat(catalogue.all()).filteredOn(code -> code.kind() == Kind.SUBDIVISION)
                .allSatisfy(code -> assertThat(reached).as(code.code()).contains(code.index()));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            US-CA,California\\nCA-CA,California      | ok
            US-CA,California\\nUS-XX,California      | line 4: 'California' already names US-CA
            US-CA,California\\nUS-XX,Cali,Cal;california | line 4: 'california' already names US-CA
            USCA,California                         | line 3: 'USCA' is not an ISO 3166-2 subdivision code
            US-CA                                   | line 3: US-CA needs a name
            """)
    void aBrokenTableNamesItsLine(String rows, String outcome) {
        String text = "# a comment\ncode\tname\talso\n" + rows.replace("\\n", "\n").replace(',', '\t');
        BufferedReader in = new BufferedReader(new StringReader(text));

        if (outcome.equals("ok")) {
            assertThat(SubdivisionNames.read("t", in).allCodes()).containsExactly("CA-CA", "US-CA");
        } else {
            assertThatThrownBy(() -> SubdivisionNames.read("t", in))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("t:" + outcome.substring("line ".length()));
        }
    }
}
