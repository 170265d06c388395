package io.wayfinder.routing;

/** How routing a query ended. */
public enum RoutingOutcome {
    /** Endpoints were chosen: the context holds them. */
    ANSWER,
    /** The name exists but nothing answers this client (as Azure: a Geographic or Subnet profile with no match). */
    NODATA,
    /** The profile is disabled or has no endpoint to serve: as Azure, its name does not exist. */
    NXDOMAIN
}
