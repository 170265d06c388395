package io.wayfinder.imports.azure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Traffic Manager profiles in what Azure hands out, each flattened to one object of Azure's
 * property names (the {@code properties} wrappers of ARM and the REST API merged into their
 * resource) with its endpoints beside it. Four shapes are read:
 * <ul>
 *   <li>an ARM template, as the portal's "Export template" or {@code az group export} writes it:
 *       profiles under {@code resources} (a list, or an object of symbolic names), their endpoints
 *       inline and/or as child resources ({@code .../trafficManagerProfiles/externalEndpoints} named
 *       {@code profile/endpoint}, at the top level or under the profile's own {@code resources});
 *       names and references written as ARM expressions are evaluated where {@link ArmExpressions}
 *       can;</li>
 *   <li>one profile, as {@code az network traffic-manager profile show} prints it (flat) or the REST
 *       API returns it (with {@code properties});</li>
 *   <li>a list of profiles ({@code az network traffic-manager profile list});</li>
 *   <li>the REST API's list, {@code {"value": [...]}}.</li>
 * </ul>
 */
final class AzureExport {
    static final String PROFILE_TYPE = "Microsoft.Network/trafficManagerProfiles";

    /** One profile: its name, its properties (flattened) and its endpoints (each flattened). */
    record Profile(String name, ObjectNode properties, List<ObjectNode> endpoints) {
    }

    private final List<Profile> profiles;
    /** Evaluates what was left unevaluated, for its reason; null when the input is not a template. */
    private final ArmExpressions expressions;
    private final List<ImportNote> notes;

    private AzureExport(List<Profile> profiles, ArmExpressions expressions, List<ImportNote> notes) {
        this.profiles = profiles;
        this.expressions = expressions;
        this.notes = notes;
    }

    List<Profile> profiles() {
        return profiles;
    }

    /** The expression evaluator of a template, or null for the other shapes. */
    ArmExpressions expressions() {
        return expressions;
    }

    /** What could not be read at all (a profile whose name cannot be evaluated, an endpoint without a parent). */
    List<ImportNote> notes() {
        return notes;
    }

    /** @throws IllegalArgumentException when the document holds no Traffic Manager profile in any shape read */
    static AzureExport of(JsonNode root) {
        List<ImportNote> notes = new ArrayList<>();
        if (root.isObject() && root.has("resources")) {
            ArmExpressions expressions = new ArmExpressions(root);
            List<Profile> profiles = fromTemplate(root, expressions, notes);
            if (profiles.isEmpty() && notes.isEmpty()) {
                throw new IllegalArgumentException("the template's resources hold no " + PROFILE_TYPE);
            }
            return new AzureExport(profiles, expressions, notes);
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.values().forEach(items::add);
        } else if (root.isObject() && root.get("value") != null && root.get("value").isArray()) {
            root.get("value").values().forEach(items::add);
        } else if (root.isObject()) {
            items.add(root);
        }
        List<Profile> profiles = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.isObject() && isProfile(item)) {
                ObjectNode flat = flatten(item);
                List<ObjectNode> endpoints = new ArrayList<>();
                flat.path("endpoints").values().forEach(e -> endpoints.add(flatten(e)));
                flat.remove("endpoints");
                profiles.add(new Profile(flat.path("name").asString(""), flat, endpoints));
            }
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no Traffic Manager profile found: expected an ARM template (with"
                    + " resources), a profile as `az network traffic-manager profile show` prints it, or a list of"
                    + " profiles");
        }
        return new AzureExport(profiles, null, notes);
    }

    /** A profile object: of the profile type, or (az output without a type) with a routing method. */
    private static boolean isProfile(JsonNode item) {
        String type = item.path("type").asString("");
        if (!type.isEmpty()) {
            return type.equalsIgnoreCase(PROFILE_TYPE);
        }
        return item.has("trafficRoutingMethod") || item.path("properties").has("trafficRoutingMethod");
    }

    private static List<Profile> fromTemplate(JsonNode template, ArmExpressions expressions, List<ImportNote> notes) {
        List<JsonNode> resources = new ArrayList<>();
        JsonNode listed = template.get("resources");
        listed.values().forEach(resources::add); // a list, or an object of symbolic names (languageVersion 2.0)
        Map<String, Profile> byName = new LinkedHashMap<>();
        List<JsonNode[]> children = new ArrayList<>(); // {resource, its parent profile resource or null}
        for (JsonNode resource : resources) {
            if (!resource.isObject()) {
                continue;
            }
            ObjectNode resolved = (ObjectNode) resolveAll(resource, expressions);
            String type = resolved.path("type").asString("");
            if (type.equalsIgnoreCase(PROFILE_TYPE)) {
                String name = resolved.path("name").asString("");
                if (ArmExpressions.isExpression(name)) {
                    notes.add(ImportNote.profile(name, "not imported: its name cannot be evaluated ("
                            + reason(expressions, name) + ")"));
                    continue;
                }
                ObjectNode flat = flatten(resolved);
                List<ObjectNode> endpoints = new ArrayList<>();
                flat.path("endpoints").values().forEach(e -> endpoints.add(flatten(e)));
                flat.remove("endpoints");
                flat.remove("resources");
                byName.put(name.toLowerCase(Locale.ROOT), new Profile(name, flat, endpoints));
                resolved.path("resources").values().forEach(child -> children.add(new JsonNode[] {child, resolved}));
            } else if (type.regionMatches(true, 0, PROFILE_TYPE + "/", 0, PROFILE_TYPE.length() + 1)) {
                children.add(new JsonNode[] {resolved, null});
            }
        }
        for (JsonNode[] pair : children) {
            addChild(pair[0].isObject() ? (ObjectNode) resolveAll(pair[0], expressions) : null, pair[1], byName,
                    expressions, notes);
        }
        return new ArrayList<>(byName.values());
    }

    /** An endpoint declared as a resource of its own: {@code profile/endpoint} at the top, or {@code endpoint} under its profile. */
    private static void addChild(ObjectNode child, JsonNode parent, Map<String, Profile> byName, ArmExpressions expressions,
                                 List<ImportNote> notes) {
        if (child == null) {
            return;
        }
        String name = child.path("name").asString("");
        String type = child.path("type").asString("");
        String endpointType = type.contains("/") ? type.substring(type.lastIndexOf('/') + 1) : type;
        if (!endpointType.toLowerCase(Locale.ROOT).endsWith("endpoints")) {
            return; // another child type (heat maps, user metrics keys): nothing to route
        }
        if (ArmExpressions.isExpression(name)) {
            notes.add(new ImportNote(null, name, "not imported: the endpoint resource's name cannot be evaluated ("
                    + reason(expressions, name) + ")"));
            return;
        }
        String profileName;
        String endpointName;
        if (parent != null) {
            profileName = parent.path("name").asString("");
            endpointName = name;
        } else {
            int slash = name.lastIndexOf('/');
            if (slash <= 0) {
                notes.add(new ImportNote(null, name, "not imported: an endpoint resource's name must be profile/endpoint"));
                return;
            }
            profileName = name.substring(0, slash);
            endpointName = name.substring(slash + 1);
        }
        Profile profile = byName.get(profileName.toLowerCase(Locale.ROOT));
        if (profile == null) {
            notes.add(new ImportNote(profileName, endpointName, "not imported: the export holds no profile of that name"));
            return;
        }
        for (ObjectNode existing : profile.endpoints()) {
            if (existing.path("name").asString("").equalsIgnoreCase(endpointName)) {
                return; // exports list each endpoint both inline and as a resource: one is enough
            }
        }
        ObjectNode flat = flatten(child);
        flat.put("name", endpointName);
        flat.put("type", PROFILE_TYPE + "/" + endpointType);
        profile.endpoints().add(flat);
    }

    /** A copy with every string value evaluated where it is an expression the import can evaluate. */
    private static JsonNode resolveAll(JsonNode node, ArmExpressions expressions) {
        if (node.isString()) {
            try {
                return expressions.resolve(node.asString());
            } catch (ArmExpressions.Unresolvable e) {
                return node; // kept as written: whoever reads it reports why
            }
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), resolveAll(e.getValue(), expressions));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.values().forEach(item -> copy.add(resolveAll(item, expressions)));
            return copy;
        }
        return node;
    }

    /** Why an expression was left as written. */
    static String reason(ArmExpressions expressions, String expression) {
        if (expressions == null) {
            return "an ARM expression";
        }
        try {
            expressions.resolve(expression);
            return "an ARM expression";
        } catch (ArmExpressions.Unresolvable e) {
            return e.getMessage();
        }
    }

    /** The resource's own fields with its {@code properties} merged in (the properties win), nulls left out. */
    private static ObjectNode flatten(JsonNode resource) {
        ObjectNode flat = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (!resource.isObject()) {
            return flat;
        }
        for (Map.Entry<String, JsonNode> e : resource.properties()) {
            if (!e.getKey().equals("properties") && !e.getValue().isNull()) {
                flat.set(e.getKey(), e.getValue());
            }
        }
        JsonNode properties = resource.get("properties");
        if (properties != null && properties.isObject()) {
            for (Map.Entry<String, JsonNode> e : properties.properties()) {
                if (!e.getValue().isNull()) {
                    flat.set(e.getKey(), e.getValue());
                }
            }
        }
        return flat;
    }
}
