package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * YAML text to a JSON tree, within limits that keep a broken or hostile file from taking the server
 * down. The configuration watcher reads whatever lands in the file, and an {@code Error} thrown
 * while reading it (a stack overflow, running out of memory) once stopped the watcher for good.
 *
 * <p>Three limits, each checked before the work it bounds:
 * <ul>
 *   <li><b>size</b>: at most {@value #MAX_CODE_POINTS} code points (snakeyaml-engine's own limit,
 *       which it checks as it reads);</li>
 *   <li><b>depth</b>: collections nested at most {@value #MAX_DEPTH} levels, the document being
 *       the first. snakeyaml-engine's composer recurses once per level and has no such setting, so
 *       the parser's events (which it produces without recursing) are counted first: 20,000
 *       nested brackets are refused at the 65th, before anything recurses;</li>
 *   <li><b>expansion</b>: at most {@value #MAX_VALUES} values once aliases are expanded. Loading
 *       keeps an alias as a second reference to one object, so nine levels of nine aliases (within
 *       the alias limit) cost nothing until something walks them: converting that to a tree, as
 *       Jackson's {@code valueToTree} did, builds 9^9 nodes. Here the expanded size and depth are
 *       measured on the object graph first, each shared object once, and an alias inside its own
 *       anchor (a cycle) is refused. The tree built after that shares the JSON node of a shared
 *       object, so it is no bigger than the file.</li>
 * </ul>
 * Wayfinder's own keys need 7 levels ({@code profiles[].endpoints[].subnets[].first}) and a
 * thousand profiles a few hundred thousand values; the limits leave room for {@code x-} sections
 * and anchors. YAML 1.2 core schema; a key written twice is an error.
 */
final class YamlTree {
    /** Collections nested deeper than this are refused; the document itself is the first level. */
    static final int MAX_DEPTH = 64;
    /** Values (scalars and collections, not keys) once aliases are expanded. */
    static final int MAX_VALUES = 1_000_000;
    /** A configuration is text typed by people or written by tools; 16 M characters is far beyond either. */
    static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(100)
            .setAllowRecursiveKeys(false)
            .setCodePointLimit(MAX_CODE_POINTS)
            .build();
    private static final JsonMapper SCALARS = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Per shared object: its expanded value count and height (levels of collections in it). */
    private final IdentityHashMap<Object, long[]> measured = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
    private final IdentityHashMap<Object, JsonNode> converted = new IdentityHashMap<>();
    private boolean aliased;

    private YamlTree() {
    }

    /**
     * @return the document as a tree, or null for an empty document
     * @throws ConfigException one error without a path: not YAML (with its line), or beyond a limit
     */
    static JsonNode parse(String yaml) throws ConfigException {
        try {
            checkDepth(yaml);
            Object document = new Load(SETTINGS).loadFromString(yaml);
            YamlTree tree = new YamlTree();
            tree.measure(document, 1);
            return tree.convert(document);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at " + where(m)).orElse("");
            throw new ConfigException("", "not valid YAML" + where + ": " + e.getProblem()
                    + e.getContextMark().map(m -> " (" + e.getContext() + " at line " + (m.getLine() + 1) + ")").orElse(""));
        } catch (YamlEngineException | IllegalArgumentException e) {
            throw new ConfigException("", "not valid YAML: " + e.getMessage());
        }
    }

    private static String where(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** Counts nesting on the parser's events, which it produces without recursing. */
    private static void checkDepth(String yaml) throws ConfigException {
        int depth = 0;
        for (Event event : new Parse(SETTINGS).parseString(yaml)) {
            if (event instanceof CollectionStartEvent) {
                if (++depth > MAX_DEPTH) {
                    throw new ConfigException("", "collections are nested more than " + MAX_DEPTH + " levels deep"
                            + event.getStartMark().map(m -> " (at " + where(m) + ")").orElse("")
                            + "; a Wayfinder configuration needs 7");
                }
            } else if (event instanceof CollectionEndEvent) {
                depth--;
            }
        }
    }

    /**
     * The expanded size and height of a value at {@code depth} (the document is at 1), measuring
     * each shared object once; refuses cycles and documents beyond the limits as soon as they show.
     */
    private long[] measure(Object value, int depth) throws ConfigException {
        if (!(value instanceof Map || value instanceof Collection)) {
            return new long[] {1, 0};
        }
        long[] known = measured.get(value);
        if (known != null) {
            aliased = true;
            if (depth + known[1] - 1 > MAX_DEPTH) {
                throw tooDeep();
            }
            return known;
        }
        if (depth > MAX_DEPTH) {
            throw tooDeep();
        }
        if (onPath.put(value, Boolean.TRUE) != null) {
            throw new ConfigException("", "an alias refers to a collection that contains it, which would make the"
                    + " document infinite");
        }
        long values = 1;
        long height = 0;
        Iterable<?> children = value instanceof Map<?, ?> map ? map.values() : (Collection<?>) value;
        for (Object child : children) {
            long[] m = measure(child, depth + 1);
            values += m[0];
            height = Math.max(height, m[1]);
            if (values > MAX_VALUES) {
                throw new ConfigException("", (aliased ? "aliases expand the document to" : "the document holds")
                        + " more than " + String.format("%,d", MAX_VALUES) + " values");
            }
        }
        onPath.remove(value);
        long[] result = {values, height + 1};
        measured.put(value, result);
        return result;
    }

    private static ConfigException tooDeep() {
        return new ConfigException("", "aliases nest collections more than " + MAX_DEPTH + " levels deep");
    }

    /** The tree of a measured document (so bounded in depth); a shared object becomes one shared node. */
    private JsonNode convert(Object value) {
        if (value == null) {
            return null;
        }
        JsonNode done = converted.get(value);
        if (done != null) {
            return done;
        }
        JsonNode node;
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                JsonNode child = convert(e.getValue());
                object.set(String.valueOf(e.getKey()), child == null ? NODES.nullNode() : child);
            }
            node = object;
        } else if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            for (Object item : list) {
                JsonNode child = convert(item);
                array.add(child == null ? NODES.nullNode() : child);
            }
            node = array;
        } else {
            node = scalar(value);
        }
        if (value instanceof Map || value instanceof Collection) {
            converted.put(value, node);
        }
        return node;
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof String s) {
            return NODES.stringNode(s);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Integer i) {
            return NODES.numberNode(i.intValue());
        } else if (value instanceof Long l) {
            return NODES.numberNode(l.longValue());
        } else if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        } else if (value instanceof Double d) {
            return NODES.numberNode(d.doubleValue());
        }
        return SCALARS.valueToTree(value); // the rare rest (!!binary): as Jackson writes it
    }
}
