package io.wayfinder.profile;

/** The {@code trafficRoutingMethod} of a profile, spelt as Azure Traffic Manager spells it. */
public enum RoutingMethodName {
    Performance, Priority, Weighted, Geographic, MultiValue, Subnet
}
