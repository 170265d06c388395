package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import java.util.stream.Collectors;

/** Asks every source and keeps the answer for the longest prefix; on a tie the first source wins. */
public final class CompositeGeoLocator implements GeoLocator {
    private final GeoLocator[] sources;

    public CompositeGeoLocator(List<? extends GeoLocator> sources) {
        this.sources = sources.toArray(new GeoLocator[0]);
    }

    @Override
    public GeoLocation locate(IpPrefix address) {
        GeoLocation best = null;
        for (GeoLocator source : sources) {
            GeoLocation found = source.locate(address);
            if (found != null && (best == null || found.network().length() > best.network().length())) {
                best = found;
            }
        }
        return best;
    }

    @Override
    public String describe() {
        return sources.length == 0 ? "none"
                : java.util.Arrays.stream(sources).map(GeoLocator::describe).collect(Collectors.joining(" + "));
    }
}
