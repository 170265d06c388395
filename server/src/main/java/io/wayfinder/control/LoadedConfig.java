package io.wayfinder.control;

import io.wayfinder.answer.ZoneData;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingPlan;
import java.nio.file.Path;

/**
 * A configuration file read, validated and loaded with its data sources, and compiled into what
 * does not depend on health: the routing plan and the zone data. Everything that could fail has,
 * before the control path sees it; applying it cannot fail.
 */
public record LoadedConfig(Path file, WayfinderConfig config, RoutingPlan plan, ZoneData zones, LoadedSources sources) {
}
