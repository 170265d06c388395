package io.wayfinder.imports.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** The ARM expressions an exported template names things with, and the ones that depend on a deployment. */
class ArmExpressionsTest {
    private static final ArmExpressions TEMPLATE = new ArmExpressions(JsonMapper.builder().build().readTree("""
            {"parameters": {
               "trafficManagerProfiles_music_name": {"type": "String", "defaultValue": "music"},
               "child": {"type": "String", "defaultValue": "[concat(parameters('trafficManagerProfiles_music_name'), '-eu')]"},
               "ttl": {"type": "Int", "defaultValue": 60},
               "loop": {"type": "String", "defaultValue": "[parameters('loop')]"},
               "noDefault": {"type": "String"}},
             "variables": {"suffix": "/eu", "region": "[toLower('West Europe')]"}}
            """));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            plain text                                                                   | plain text
            [[not an expression]                                                         | [not an expression]
            [parameters('trafficManagerProfiles_music_name')]                            | music
            [concat(parameters('trafficManagerProfiles_music_name'), variables('suffix'))] | music/eu
            "[concat(parameters('trafficManagerProfiles_music_name'), '/eu')]"          | music/eu
            [parameters('child')]                                                        | music-eu
            [parameters('ttl')]                                                          | 60
            [variables('region')]                                                        | west europe
            "[format('{0}-{1}', 'a', 12)]"                                              | a-12
            [toUpper('geo-eu')]                                                          | GEO-EU
            "[concat('it''s', ' ok')]"                                                  | it's ok
            "[resourceId('Microsoft.Network/trafficManagerProfiles', parameters('child'))]" | /providers/Microsoft.Network/trafficManagerProfiles/music-eu
            "[resourceId('other-rg', 'Microsoft.Network/trafficManagerProfiles', 'x')]" | /providers/Microsoft.Network/trafficManagerProfiles/x
            "[resourceId('Microsoft.Network/trafficManagerProfiles/externalEndpoints', 'p', 'e')]" | /providers/Microsoft.Network/trafficManagerProfiles/p/externalEndpoints/e
            """)
    void literalExpressionsAreEvaluated(String written, String value) throws Exception {
        assertThat(TEMPLATE.resolve(written).asString()).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            [uniqueString('x')]                          | uniqueString() depends on the deployment
            [resourceGroup().location]                   | resourceGroup() depends on the deployment
            [parameters('nope')]                         | the template has no parameter 'nope'
            [parameters('noDefault')]                    | parameter 'noDefault' has no defaultValue
            [parameters('loop')]                         | more than 16 levels deep
            "[concat('a', 'b']"                          | ends inside a function's arguments
            [concat('a]                                  | is not closed
            """)
    void whatDependsOnTheDeploymentIsNotGuessed(String written, String reason) {
        assertThatThrownBy(() -> TEMPLATE.resolve(written)).isInstanceOf(ArmExpressions.Unresolvable.class)
                .hasMessageContaining(reason);
    }
}
