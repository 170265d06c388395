package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Asks every source and keeps the known answer with the most specific entry (on a tie, the first
 * source's). Since the choice depended on every source, the result holds only where all of
 * theirs do: for the longest of their holding networks.
 */
public final class CompositeGeoLocator implements GeoLocator {
    private final GeoLocator[] sources;

    public CompositeGeoLocator(List<? extends GeoLocator> sources) {
        this.sources = sources.toArray(new GeoLocator[0]);
    }

    @Override
    public GeoLocation locate(IpPrefix client) {
        GeoLocation best = null;
        int holding = 0;
        for (GeoLocator source : sources) {
            GeoLocation found = GeoLocator.locateOrUnknown(source, client);
            holding = Math.max(holding, found.network().length());
            if (found.known() && (best == null || found.sourceLength() > best.sourceLength())) {
                best = found;
            }
        }
        IpPrefix holds = client.truncate(holding);
        return best == null ? GeoLocation.unknown(holds) : best.holdingFor(holds);
    }

    /** As {@link #locate(IpPrefix)}, asking every source the same way (so nothing is allocated unless a source does). */
    @Override
    public void locate(IpPrefix client, Found out) {
        GeoLocation best = null;
        int holding = 0;
        for (GeoLocator source : sources) {
            source.locate(client, out);
            holding = Math.max(holding, out.holdingLength());
            GeoLocation found = out.location();
            if (found.known() && (best == null || found.sourceLength() > best.sourceLength())) {
                best = found;
            }
        }
        out.set(best == null ? GeoLocation.UNKNOWN : best, holding);
    }

    @Override
    public String describe() {
        return sources.length == 0 ? "none"
                : java.util.Arrays.stream(sources).map(GeoLocator::describe).collect(Collectors.joining(" + "));
    }
}
