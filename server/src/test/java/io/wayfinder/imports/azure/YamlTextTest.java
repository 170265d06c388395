package io.wayfinder.imports.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Whatever a string holds, the YAML written reads back as that same string (YAML 1.2 core schema, as Wayfinder reads it). */
class YamlTextTest {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"www", "192.0.2.10", "2001:db8::70", "/health", "true", "No", "null", "~", "12", "1.5", "1e3",
        "0x1F", ".inf", "- x", "a: b", "a #b", "#c", "{x}", "[y]", "it's", "say \"hi\"", "tab\there", "", " padded ",
        "GEO-EU", "*alias", "&anchor", "!tag", "%", "@x", "`x`", "a,b", "line\nbreak", "é"})
    void everyStringReadsBackUnchanged(String value) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("key", value);
        doc.put("list", List.of(value, value));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("v", value);
        doc.put("flow", List.of(inner));

        Object read = new Load(LoadSettings.builder().build()).loadFromString(YamlText.write(doc));

        assertThat(read).isEqualTo(Map.of("key", value, "list", List.of(value, value), "flow", List.of(Map.of("v", value))));
    }
}
