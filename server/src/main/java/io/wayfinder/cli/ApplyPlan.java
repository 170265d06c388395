package io.wayfinder.cli;

import io.wayfinder.control.ConfigDiff;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.ProfileConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The writes that make the running profiles equal to a file's, in an order the server accepts
 * each of (it validates the whole configuration after every write, so a profile may never nest
 * one that does not exist):
 *
 * <ol>
 *   <li>deletes of the profiles that no remaining profile nests, a parent before what it nests
 *       (this frees their DNS names, so that a profile renamed in the file can take its name);</li>
 *   <li>creates and updates in the file's order, except that a profile comes after those it nests;</li>
 *   <li>deletes of the profiles a remaining profile nested until its update, parents first.</li>
 * </ol>
 *
 * A profile whose canonical form is the file's is left alone. Each write names the version it
 * was planned from (creates: none may exist), so a change made by someone else meanwhile stops the
 * apply instead of being overwritten.
 */
final class ApplyPlan {
    /** What a write does. */
    enum Action { create, update, delete }

    /**
     * One write.
     *
     * @param profile the profile to write (create, update), or the running one (delete)
     * @param version the running version it replaces or deletes; null for a create
     * @param changes what it changes, in the log's words
     */
    record Step(Action action, ProfileConfig profile, Long version, List<String> changes) {
        String name() {
            return profile.name();
        }
    }

    /** A running profile and its version. */
    record Running(ProfileConfig profile, long version) {
    }

    private final List<Step> steps;
    private final List<String> unchanged;

    private ApplyPlan(List<Step> steps, List<String> unchanged) {
        this.steps = List.copyOf(steps);
        this.unchanged = List.copyOf(unchanged);
    }

    List<Step> steps() {
        return steps;
    }

    /** The names of the profiles the file has as they run. */
    List<String> unchanged() {
        return unchanged;
    }

    int count(Action action) {
        return (int) steps.stream().filter(s -> s.action() == action).count();
    }

    static ApplyPlan between(List<Running> running, List<ProfileConfig> wanted) {
        Map<String, Running> now = new LinkedHashMap<>();
        running.forEach(r -> now.put(key(r.profile().name()), r));
        Map<String, ProfileConfig> file = new LinkedHashMap<>();
        wanted.forEach(p -> file.put(key(p.name()), p));

        List<String> unchanged = new ArrayList<>();
        Map<String, Step> writes = new LinkedHashMap<>();
        for (ProfileConfig p : wanted) {
            Running r = now.get(key(p.name()));
            if (r == null) {
                writes.put(key(p.name()), new Step(Action.create, p, null, ConfigDiff.profiles(List.of(), List.of(p))));
                continue;
            }
            // A profile that names no zone gets the server's; compare it as the server will store it.
            ProfileConfig compared = p.zone() != null ? p : withZone(p, r.profile().zone());
            if (ProfileDocuments.canonical(compared).equals(ProfileDocuments.canonical(r.profile()))) {
                unchanged.add(r.profile().name());
            } else {
                writes.put(key(p.name()), new Step(Action.update, p, r.version(),
                        ConfigDiff.profiles(List.of(r.profile()), List.of(compared))));
            }
        }
        List<Running> gone = running.stream().filter(r -> !file.containsKey(key(r.profile().name()))).toList();
        Set<String> goneNames = new HashSet<>();
        gone.forEach(r -> goneNames.add(key(r.profile().name())));
        // Nested now by a profile that stays: deleted only after that profile's update.
        Set<String> heldBack = new HashSet<>();
        for (Running r : running) {
            if (!goneNames.contains(key(r.profile().name()))) {
                heldBack.addAll(nests(r.profile()));
            }
        }

        List<Step> steps = new ArrayList<>();
        List<Running> early = gone.stream().filter(r -> !heldBack.contains(key(r.profile().name()))).toList();
        List<Running> late = gone.stream().filter(r -> heldBack.contains(key(r.profile().name()))).toList();
        deletes(early, steps);
        Set<String> placed = new HashSet<>();
        for (String name : writes.keySet()) {
            place(name, writes, placed, steps);
        }
        deletes(late, steps);
        return new ApplyPlan(steps, unchanged);
    }

    /** Writes {@code name} after the writes of the profiles it nests (depth first; a cycle is the server's to refuse). */
    private static void place(String name, Map<String, Step> writes, Set<String> placed, List<Step> steps) {
        if (!writes.containsKey(name) || !placed.add(name)) {
            return;
        }
        Step step = writes.get(name);
        for (String child : nests(step.profile())) {
            place(child, writes, placed, steps);
        }
        steps.add(step);
    }

    /** Deletes, each before the profiles it nests among them. */
    private static void deletes(List<Running> gone, List<Step> steps) {
        Map<String, Running> byName = new LinkedHashMap<>();
        gone.forEach(r -> byName.put(key(r.profile().name()), r));
        // A profile nested by another one going is deleted after it: visit parents first (reverse post-order).
        List<Running> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : byName.keySet()) {
            postOrder(name, byName, seen, order);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Running r = order.get(i);
            steps.add(new Step(Action.delete, r.profile(), r.version(), ConfigDiff.profiles(List.of(r.profile()), List.of())));
        }
    }

    private static void postOrder(String name, Map<String, Running> byName, Set<String> seen, List<Running> out) {
        if (!byName.containsKey(name) || !seen.add(name)) {
            return;
        }
        // Children are finished first, so in reverse they come after every parent that nests them.
        for (String child : nests(byName.get(name).profile())) {
            postOrder(child, byName, seen, out);
        }
        out.add(byName.get(name));
    }

    /** The profiles a profile nests (its nested endpoints' and fallback's targets), by key. */
    private static Set<String> nests(ProfileConfig p) {
        Set<String> out = new HashSet<>();
        for (EndpointConfig e : p.endpointsWithFallback()) {
            if (e.type() == EndpointType.nested) {
                out.add(key(e.target()));
            }
        }
        return out;
    }

    private static ProfileConfig withZone(ProfileConfig p, String zone) {
        return new ProfileConfig(p.name(), zone, p.trafficRoutingMethod(), p.enabled(), p.relativeName(), p.ttl(),
                p.maxReturn(), p.endpoints(), p.monitor(), p.fallback());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
