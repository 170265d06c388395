package io.wayfinder.beacon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeaconScriptTest {

    @Test
    void theSettingsGoInAsJsonThatCannotEndTheScript() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("westeurope", "https://we.example.com/rum/probe");
        targets.put("eastus", "https://eus.example.com/p?a=1&b=</script><script>alert(1)</script>\u2028");
        String js = BeaconScript.render("rum_abcdefghijklmnopqrstuvwxyz", targets, 5, 0.25);
        assertThat(js).contains("({\"k\":\"rum_abcdefghijklmnopqrstuvwxyz\",\"t\":[[\"westeurope\",\"https://we.example.com/rum/probe\"],"
                + "[\"eastus\",\"https://eus.example.com/p?a=1\\u0026b=\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
                + "\\u003c/script\\u003e\\u2028\"]],\"n\":5,\"p\":0.25}, document, window);");
        assertThat(js).doesNotContain("</script>").doesNotContain("\u2028");
    }

    @Test
    void whatIsServedIsSmallWithoutTheCommentAndIndentation() {
        String served = BeaconScript.template();
        assertThat(served).doesNotStartWith("/*").doesNotContain("\n  ").contains("/*CONFIG*/");
        assertThat(served).contains("navigator.sendBeacon").contains("responseStart - e.requestStart");
        // The README gives the size; keep it small.
        assertThat(served.getBytes(StandardCharsets.UTF_8).length).isLessThan(1800);
    }

    @Test
    void compactKeepsTheCodeAndDropsTheOpeningCommentAndBlankLines() {
        assertThat(BeaconScript.compact("/* about\n   it */\n(function () {\n\n    a();\n})();\n"))
                .isEqualTo("(function () {\na();\n})();\n");
    }
}
