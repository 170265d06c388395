package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.ConfigLoader;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.control.ProfileWrites.Current;
import io.wayfinder.control.ProfileWrites.Rejected;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import io.wayfinder.profile.read.ProfileTreeReader;
import io.wayfinder.profile.write.ProfileWriter;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.ProfileMonitorStatus;
import io.wayfinder.store.ProfileStore;
import io.wayfinder.store.ProfileStore.StoredProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The profile and endpoint resources. A profile's representation is its stored JSON (what
 * {@code profile.write} writes: the file's property names) with its live state added, read-only:
 * {@code version}, {@code profileMonitorStatus}, {@code failOpen}, {@code onFallback}, and each
 * endpoint's {@code endpointMonitorStatus}. A PUT takes that representation back unchanged (the
 * read-only fields are ignored), or just the configuration.
 *
 * <p>A profile's ETag is its version; an endpoint's is its profile's version (an endpoint is
 * written by writing its profile), so an {@code If-Match} on an endpoint fails when any part of
 * the profile changed since it was read.
 */
final class ProfileResources {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> PUT_TYPES = Set.of(RequestBodies.JSON);
    private static final Set<String> PATCH_TYPES = Set.of(RequestBodies.MERGE_PATCH, RequestBodies.JSON);

    private final ProfileStore store;
    private final ProfileWrites writes;
    private final Supplier<Snapshot> snapshot;
    private final ProfileTreeReader reader = new ProfileTreeReader(ConfigLoader.reader().validator().methodNames());

    ProfileResources(ProfileStore store, ProfileWrites writes, Supplier<Snapshot> snapshot) {
        this.store = store;
        this.writes = writes;
        this.snapshot = snapshot;
    }

    // --- profiles --------------------------------------------------------------------------------

    void list(Context ctx) {
        ProfileStore.Contents contents = store.contents();
        Snapshot now = snapshot.get();
        ObjectNode out = NODES.objectNode();
        out.put("revision", contents.revision());
        ArrayNode profiles = out.putArray("profiles");
        for (StoredProfile p : contents.profiles()) {
            profiles.add(withState(p, now));
        }
        ctx.header("ETag", RequestBodies.etag(contents.revision()));
        ctx.json(out);
    }

    void get(Context ctx) {
        StoredProfile p = stored(ctx.pathParam("name"));
        ctx.header("ETag", RequestBodies.etag(p.version()));
        ctx.json(withState(p, snapshot.get()));
    }

    void put(Context ctx) {
        String name = ctx.pathParam("name");
        JsonNode body = RequestBodies.json(ctx, PUT_TYPES);
        if (body.isObject() && !body.has("name")) {
            ((ObjectNode) body).put("name", name); // the path names it
        }
        ProfileWrites.Result r = write(ctx, name, "PUT", "profiles/" + name, (current, settings) ->
                reader.profile(body, settings.zones(), true));
        respond(ctx, r);
    }

    void patch(Context ctx) {
        String name = ctx.pathParam("name");
        JsonNode patch = RequestBodies.json(ctx, PATCH_TYPES);
        ProfileWrites.Result r = write(ctx, name, "PATCH", "profiles/" + name, (current, settings) -> {
            if (current == null) {
                throw new Rejected(Rejected.Kind.NOT_FOUND, "no profile is named '" + name + "'");
            }
            JsonNode patched = MergePatch.apply(ProfileTreeReader.parseJson(current.stored().json()), patch);
            return reader.profile(patched, settings.zones(), true);
        });
        respond(ctx, r);
    }

    void delete(Context ctx) {
        String name = ctx.pathParam("name");
        write(ctx, name, "DELETE", "profiles/" + name, (current, settings) -> null);
        ctx.status(204);
    }

    private void respond(Context ctx, ProfileWrites.Result r) {
        ctx.status(r.created() ? 201 : 200);
        if (r.created()) {
            ctx.header("Location", "/api/v1/profiles/" + r.profile().name());
        }
        ctx.header("ETag", RequestBodies.etag(r.profile().version()));
        ctx.json(withState(r.profile(), snapshot.get()));
    }

    // --- endpoints -------------------------------------------------------------------------------

    void getEndpoint(Context ctx) {
        StoredProfile p = stored(ctx.pathParam("name"));
        ProfileConfig config = read(p);
        String endpoint = ctx.pathParam("endpoint");
        int i = indexOf(config, endpoint);
        if (i < 0) {
            throw ApiException.notFound("profile " + p.name() + " has no endpoint named '" + endpoint + "'");
        }
        ctx.header("ETag", RequestBodies.etag(p.version()));
        ctx.json(endpointWithState(config.endpoints().get(i), i, p.name(), snapshot.get()));
    }

    void putEndpoint(Context ctx) {
        String name = ctx.pathParam("name");
        String endpoint = ctx.pathParam("endpoint");
        JsonNode body = RequestBodies.json(ctx, PUT_TYPES);
        if (body.isObject() && !body.has("name")) {
            ((ObjectNode) body).put("name", endpoint);
        }
        boolean[] created = {false};
        ProfileWrites.Result r = write(ctx, name, "PUT", "profiles/" + name + "/endpoints/" + endpoint, (current, settings) -> {
            ProfileConfig p = existing(current, name);
            int i = indexOf(p, endpoint);
            created[0] = i < 0;
            int position = i < 0 ? p.endpoints().size() : i;
            EndpointConfig e = readEndpoint(body, position, position);
            return withEndpoint(p, i, e, endpoint);
        });
        respondEndpoint(ctx, r, endpoint, created[0]);
    }

    void patchEndpoint(Context ctx) {
        String name = ctx.pathParam("name");
        String endpoint = ctx.pathParam("endpoint");
        JsonNode patch = RequestBodies.json(ctx, PATCH_TYPES);
        ProfileWrites.Result r = write(ctx, name, "PATCH", "profiles/" + name + "/endpoints/" + endpoint, (current, settings) -> {
            ProfileConfig p = existing(current, name);
            int i = existingEndpoint(p, endpoint);
            JsonNode patched = MergePatch.apply(ProfileWriter.endpoint(p.endpoints().get(i), i), patch);
            return withEndpoint(p, i, readEndpoint(patched, i, i), endpoint);
        });
        respondEndpoint(ctx, r, endpoint, false);
    }

    void deleteEndpoint(Context ctx) {
        String name = ctx.pathParam("name");
        String endpoint = ctx.pathParam("endpoint");
        write(ctx, name, "DELETE", "profiles/" + name + "/endpoints/" + endpoint, (current, settings) -> {
            ProfileConfig p = existing(current, name);
            int i = existingEndpoint(p, endpoint);
            List<EndpointConfig> endpoints = new ArrayList<>(p.endpoints());
            endpoints.remove(i); // the others keep their priorities (the model holds them, not their positions)
            return with(p, endpoints);
        });
        ctx.status(204);
    }

    private void respondEndpoint(Context ctx, ProfileWrites.Result r, String endpoint, boolean created) {
        ProfileConfig p = read(r.profile());
        int i = indexOf(p, endpoint);
        ctx.status(created ? 201 : 200);
        if (created) {
            ctx.header("Location", "/api/v1/profiles/" + r.profile().name() + "/endpoints/" + p.endpoints().get(i).name());
        }
        ctx.header("ETag", RequestBodies.etag(r.profile().version()));
        ctx.json(endpointWithState(p.endpoints().get(i), i, r.profile().name(), snapshot.get()));
    }

    /** An endpoint body, with errors at the path the endpoint has in its profile ({@code endpoints[2].target}). */
    private EndpointConfig readEndpoint(JsonNode body, int position, int index) throws ConfigException {
        try {
            return reader.endpoint(body, position, true);
        } catch (ConfigException e) {
            List<io.wayfinder.profile.ConfigError> at = new ArrayList<>();
            for (io.wayfinder.profile.ConfigError error : e.errors()) {
                at.add(new io.wayfinder.profile.ConfigError("endpoints[" + index + "]"
                        + (error.path().isEmpty() ? "" : "." + error.path()), error.message()));
            }
            throw new ConfigException(at);
        }
    }

    private static ProfileConfig existing(Current current, String name) throws Rejected {
        if (current == null) {
            throw new Rejected(Rejected.Kind.NOT_FOUND, "no profile is named '" + name + "'");
        }
        return current.config();
    }

    private static int existingEndpoint(ProfileConfig p, String endpoint) throws Rejected {
        int i = indexOf(p, endpoint);
        if (i < 0) {
            throw new Rejected(Rejected.Kind.NOT_FOUND, "profile " + p.name() + " has no endpoint named '" + endpoint + "'");
        }
        return i;
    }

    /** The profile with endpoint i replaced by e, or e added at the end (i < 0). */
    private static ProfileConfig withEndpoint(ProfileConfig p, int i, EndpointConfig e, String endpoint) throws ConfigException {
        if (!e.name().equalsIgnoreCase(endpoint)) {
            int index = i < 0 ? p.endpoints().size() : i;
            throw new ConfigException("endpoints[" + index + "].name", "is '" + e.name() + "' but the request is for endpoint '"
                    + endpoint + "' (to rename an endpoint, create the new one and delete the old)");
        }
        List<EndpointConfig> endpoints = new ArrayList<>(p.endpoints());
        if (i < 0) {
            endpoints.add(e);
        } else {
            endpoints.set(i, e);
        }
        return with(p, endpoints);
    }

    private static ProfileConfig with(ProfileConfig p, List<EndpointConfig> endpoints) {
        return new ProfileConfig(p.name(), p.zone(), p.trafficRoutingMethod(), p.enabled(), p.relativeName(), p.ttl(),
                p.maxReturn(), endpoints, p.monitor(), p.fallback());
    }

    private static int indexOf(ProfileConfig p, String endpoint) {
        for (int i = 0; i < p.endpoints().size(); i++) {
            if (p.endpoints().get(i).name().equalsIgnoreCase(endpoint)) {
                return i;
            }
        }
        return -1;
    }

    // --- shared ----------------------------------------------------------------------------------

    private ProfileWrites.Result write(Context ctx, String name, String action, String resource, ProfileWrites.Edit edit) {
        ApiToken token = ctx.attribute(ApiServer.TOKEN);
        try {
            return writes.write(name, RequestBodies.precondition(ctx), edit, token.name(), action, resource);
        } catch (Rejected e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case PRECONDITION_FAILED -> new ApiException(412, e.getMessage());
                case INVALID -> ApiException.badRequest(e.getMessage(), e.errors());
            };
        }
    }

    private StoredProfile stored(String name) {
        return store.profile(name).orElseThrow(() -> ApiException.notFound("no profile is named '" + name + "'"));
    }

    private ProfileConfig read(StoredProfile p) {
        try {
            return reader.profile(ProfileTreeReader.parseJson(p.json()), List.of(), false);
        } catch (ConfigException e) {
            throw new IllegalStateException("stored profile " + p.name() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The stored JSON with the version and the live state (from the snapshot being served) added. */
    private static ObjectNode withState(StoredProfile stored, Snapshot snapshot) {
        ObjectNode config;
        try {
            config = (ObjectNode) ProfileTreeReader.parseJson(stored.json());
        } catch (ConfigException e) {
            throw new IllegalStateException("stored profile " + stored.name() + " is not JSON", e);
        }
        ObjectNode out = NODES.objectNode();
        out.put("version", stored.version());
        out.setAll(config);
        Profile served = snapshot == null ? null : snapshot.routing().profile(stored.name());
        if (served == null) {
            return out; // stored but not (yet) served
        }
        out.put("profileMonitorStatus", ProfileMonitorStatus.of(served).name());
        out.put("failOpen", served.failOpen());
        out.put("onFallback", served.onFallback());
        JsonNode endpoints = out.get("endpoints");
        if (endpoints != null) {
            for (JsonNode e : endpoints) {
                status((ObjectNode) e, served);
            }
        }
        if (out.get("fallback") instanceof ObjectNode fallback) {
            status(fallback, served);
        }
        return out;
    }

    private static ObjectNode endpointWithState(EndpointConfig e, int position, String profile, Snapshot snapshot) {
        ObjectNode out = ProfileWriter.endpoint(e, position);
        Profile served = snapshot == null ? null : snapshot.routing().profile(profile);
        if (served != null) {
            status(out, served);
        }
        return out;
    }

    private static void status(ObjectNode endpoint, Profile served) {
        Endpoint e = served.endpoint(endpoint.get("name").asString());
        if (e != null) {
            endpoint.put("endpointMonitorStatus", served.status(e.index()).name());
        }
    }
}
