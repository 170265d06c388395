package io.wayfinder.routing;

import io.wayfinder.profile.ProfileConfig;

/** A profile as one configuration compiled it: names resolved to indices, its method's plan. */
record PlannedProfile(ProfileConfig config, int index, Endpoint[] endpoints, RoutingMethod method, MethodPlan methodPlan) {
}
