package io.wayfinder.routing;

/** The candidate endpoints of an {@link Availability} as an array, for choosers to keep. */
final class Candidates {
    private Candidates() {
    }

    static Endpoint[] of(Availability availability) {
        Endpoint[] out = new Endpoint[availability.candidateCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = availability.endpoint(availability.candidate(k));
        }
        return out;
    }
}
