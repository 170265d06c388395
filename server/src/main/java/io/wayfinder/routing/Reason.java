package io.wayfinder.routing;

/** Why a routing method chose an endpoint, or chose none: a constant, so that the query path builds no strings. */
public enum Reason {
    ONLY_CANDIDATE("the only endpoint that can be served"),
    LOWEST_LATENCY("its region has the lowest estimated RTT"),
    LOWEST_LATENCY_TIE("its region ties for the lowest estimated RTT; the tie is broken by a stable hash of the client network"),
    SHARED_REGION("its region has the lowest estimated RTT and shares its clients among its endpoints by a stable hash of the client network"),
    HIGHEST_PRIORITY("the available endpoint with the highest priority (lowest number)"),
    WEIGHTED_HASH("weighted choice by a stable hash of the client network"),
    FALLBACK("every eligible endpoint is Degraded, so the profile's fallback answers"),
    SUBNET_OVERRIDE("the client is in one of its subnets (a subnet override)"),
    SUBNET_MATCH("the client is in one of its subnets"),
    SUBNET_CATCH_ALL("it has no subnets: it takes every client the other endpoints' subnets do not hold"),
    GEO_MATCH("the most specific geographic code that contains the client maps to it"),
    MULTI_VALUE("an available address of the family asked for, in an order stable for the client network"),
    NO_SUBNET_MATCH("no endpoint's subnets hold the client and there is no catch-all endpoint"),
    SUBNET_ENDPOINT_DOWN("the endpoint whose subnets hold the client cannot answer (Degraded or Stopped), and subnets do not fail over"),
    NO_GEO_MATCH("no endpoint's geoMapping contains the client's location"),
    GEO_ENDPOINT_STOPPED("the endpoint mapped to the client's location is Stopped, and Geographic routing does not look further"),
    NO_ADDRESS_OF_TYPE("no available endpoint has an address of the family asked for");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
