package io.wayfinder.beacon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The script a page includes ({@code GET /rum.js?key=KEY}): {@code rum.js} beside this class, with
 * its settings for one key filled in. It has no dependency and asks the browser for nothing newer
 * than {@code fetch}, {@code async} functions and {@code URL} (every browser since 2017); where
 * one of them is missing it does nothing.
 *
 * <p>The source keeps its comment and indentation for people; what is served has them taken out
 * ({@link #template()}, read once), which halves it. Settings go in as one JSON object with
 * {@code <}, {@code >}, {@code &} and the two JavaScript line terminators escaped, so that no target
 * URL can end the script or inject code.
 */
public final class BeaconScript {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PLACEHOLDER = "/*CONFIG*/";
    private static final String TEMPLATE = compact(source());

    private BeaconScript() {
    }

    /**
     * The script for one key.
     *
     * @param targets    region to probe URL, in the order they are measured
     * @param fetches    fetches of each target (the first opens the connection)
     * @param sampleRate the share of page views that measure, (0, 1]
     */
    public static String render(String key, Map<String, String> targets, int fetches, double sampleRate) {
        ObjectNode c = JSON.createObjectNode();
        c.put("k", key);
        ArrayNode t = c.putArray("t");
        targets.forEach((region, url) -> t.addArray().add(region).add(url));
        c.put("n", fetches);
        c.put("p", sampleRate);
        return TEMPLATE.replace(PLACEHOLDER, safe(JSON.writeValueAsString(c)));
    }

    /** The served script without its settings (their place marked), for its size. */
    public static String template() {
        return TEMPLATE;
    }

    static String safe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** Without the opening comment, indentation and blank lines: nothing in the script depends on them. */
    static String compact(String source) {
        String s = source.strip();
        if (s.startsWith("/*")) {
            s = s.substring(s.indexOf("*/") + 2);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (String line : s.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty()) {
                out.append(l).append('\n');
            }
        }
        return out.toString();
    }

    private static String source() {
        try (InputStream in = BeaconScript.class.getResourceAsStream("rum.js")) {
            if (in == null) {
                throw new IllegalStateException("rum.js is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
