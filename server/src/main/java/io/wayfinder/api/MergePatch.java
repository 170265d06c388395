package io.wayfinder.api;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7396): an object patch merges into the target key by key, {@code null}
 * removes a key, and anything else (a list included) replaces what was there. So
 * {@code {"endpointStatus": "Disabled"}} changes one field, and a patch's {@code endpoints} list
 * replaces the whole list (to change one endpoint, patch the endpoint's own resource).
 */
final class MergePatch {
    private MergePatch() {
    }

    /** The target patched; the target is not modified. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        List<String> keys = new ArrayList<>(patch.propertyNames());
        for (String key : keys) {
            JsonNode value = patch.get(key);
            if (value.isNull()) {
                out.remove(key);
            } else {
                out.set(key, apply(out.get(key), value));
            }
        }
        return out;
    }
}
