package io.wayfinder.routing;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;

/**
 * What routing reports while it decides, for explanations: {@link #enterProfile} opens a profile's
 * step, and the calls that follow are about that profile. The query path passes {@link #NONE},
 * whose empty methods the JIT removes; {@link DecisionRecorder} turns the calls into a
 * {@link Decision}. Arguments are objects routing already holds, so that calling costs nothing.
 */
public interface Trace {
    Trace NONE = new Trace() {
    };

    /** Routing enters a profile (depth 0 is the profile queried). */
    default void enterProfile(Profile profile, int depth) {
    }

    /** The estimate for one region with candidate endpoints, as the lookup holds it now. */
    default void regionEstimate(RegionRef region, LatencyEstimator.Lookup estimate) {
    }

    /** The client was located (Geographic): where, and the code of the mapping that matched, or null. */
    default void located(GeoLocation location, String matchedCode) {
    }

    /** The client is in one of an endpoint's {@code subnets}: the network of that range which holds it. */
    default void inSubnet(Endpoint endpoint, IpPrefix network) {
    }

    /** The method chose an endpoint (MultiValue: each of several). */
    default void chosen(Endpoint endpoint, Reason reason) {
    }

    /** The profile had nothing to serve: no endpoint enabled and eligible (NXDOMAIN). */
    default void nothingToServe(Profile profile) {
    }

    /** The profile answers no record to this client (NODATA), and why. */
    default void noAnswer(Reason reason) {
    }
}
