package io.wayfinder.imports.azure;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the converted configuration as YAML people will edit: block style for profiles and
 * endpoints, flow style ({@code {relativeName: www, ttl: 30}}, {@code [GEO-EU, FR]}) for short
 * mappings and lists of plain values, and comments where the import has something to say.
 *
 * <p>Values are {@code Map<String, Object>} (in order), {@code List<Object>}, strings, numbers and
 * booleans. A map key starting with {@code #} is a comment line written in its place; a
 * {@link Comment} in a list is a comment line between items. A string is written plain only when it
 * cannot be read back as anything else (a number, a boolean, null, YAML syntax); otherwise it is
 * double-quoted with JSON's escapes, which YAML reads the same.
 */
final class YamlText {
    /** A comment line among a list's items. */
    record Comment(String text) {
    }

    private static final int FLOW_WIDTH = 100;
    /** Safe plain scalars: start with a letter, '_' or '/', then no ':', '#', ',', brackets or spaces. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+-]*");
    /** Dotted quads are strings in YAML 1.2 (a float has one dot), and read best unquoted. */
    private static final Pattern DOTTED = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern KEYWORD = Pattern.compile("(?i)true|false|null|yes|no|on|off|y|n|~|\\.inf|\\.nan");

    private final StringBuilder out = new StringBuilder();

    private YamlText() {
    }

    /** The document: a mapping at the top, its comment keys as comment lines. */
    static String write(Map<String, Object> document) {
        YamlText yaml = new YamlText();
        yaml.mapping(document, 0);
        return yaml.out.toString();
    }

    private void mapping(Map<String, Object> map, int indent) {
        boolean first = true;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (!first || indent == 0) {
                out.append(" ".repeat(indent));
            }
            first = false;
            if (e.getKey().startsWith("#")) {
                comment(e.getValue().toString(), indent);
                continue;
            }
            out.append(key(e.getKey())).append(':');
            value(e.getValue(), indent);
        }
    }

    /** After "key:" or "-": the value inline when flow fits, else on the lines below. */
    private void value(Object value, int indent) {
        String flow = flow(value);
        if (flow != null && flow.length() + indent <= FLOW_WIDTH) {
            out.append(' ').append(flow).append('\n');
        } else if (value instanceof Map<?, ?> map) {
            out.append('\n').append(" ".repeat(indent + 2));
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            mapping(typed, indent + 2);
        } else if (value instanceof List<?> list) {
            out.append('\n');
            sequence(list, indent + 2);
        } else {
            out.append(' ').append(scalar(value)).append('\n');
        }
    }

    private void sequence(List<?> list, int indent) {
        for (Object item : list) {
            out.append(" ".repeat(indent));
            if (item instanceof Comment c) {
                comment(c.text(), indent);
                continue;
            }
            String flow = flow(item);
            if (flow != null && flow.length() + indent + 2 <= FLOW_WIDTH) {
                out.append("- ").append(flow).append('\n');
            } else if (item instanceof Map<?, ?> map) {
                out.append("- ");
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) map;
                mapping(typed, indent + 2);
            } else {
                out.append("-");
                value(item, indent);
            }
        }
    }

    /** A comment, wrapped onto further comment lines at the same indent where it is long. */
    private void comment(String text, int indent) {
        String prefix = "# ";
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() + indent > FLOW_WIDTH) {
                out.append(line.toString().stripTrailing()).append('\n').append(" ".repeat(indent));
                line = new StringBuilder(prefix);
            }
            line.append(word).append(' ');
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** The flow form of a value, or null when it holds mappings of mappings, comments or is empty of meaning. */
    private static String flow(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = e.getKey().toString();
                if (key.startsWith("#") || e.getValue() instanceof Map || e.getValue() instanceof List) {
                    return null;
                }
                b.append(b.length() > 1 ? ", " : "").append(key(key)).append(": ").append(scalar(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object item : list) {
                String itemFlow = item instanceof Map ? flow(item) : null;
                if (item instanceof Comment || item instanceof List || (item instanceof Map && itemFlow == null)) {
                    return null;
                }
                b.append(b.length() > 1 ? ", " : "").append(itemFlow != null ? itemFlow : scalar(item));
            }
            return b.append(']').toString();
        }
        return null;
    }

    private static String key(String key) {
        return scalar(key);
    }

    static String scalar(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String s = String.valueOf(value);
        if ((PLAIN.matcher(s).matches() && !KEYWORD.matcher(s).matches()) || DOTTED.matcher(s).matches()) {
            return s;
        }
        return quoted(s);
    }

    /** JSON's string syntax, which is YAML's double-quoted scalar. */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
