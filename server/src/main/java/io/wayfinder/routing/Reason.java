package io.wayfinder.routing;

/** Why a routing method chose an endpoint: a constant, so that the query path builds no strings. */
public enum Reason {
    ONLY_CANDIDATE("the only endpoint that can be served"),
    LOWEST_LATENCY("its region has the lowest estimated RTT"),
    LOWEST_LATENCY_TIE("its region ties for the lowest estimated RTT; the tie is broken by a stable hash of the client network"),
    SHARED_REGION("its region has the lowest estimated RTT and shares its clients among its endpoints by a stable hash of the client network"),
    HIGHEST_PRIORITY("the available endpoint with the highest priority (lowest number)"),
    WEIGHTED_HASH("weighted choice by a stable hash of the client network"),
    FALLBACK("every eligible endpoint is Degraded, so the profile's fallback answers");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
