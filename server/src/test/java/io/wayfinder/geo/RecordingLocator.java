package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** A locator that records every prefix it is asked (from any thread) and answers as {@code answers} does: for counting lookups. */
public final class RecordingLocator implements GeoLocator {
    public final List<IpPrefix> asked = Collections.synchronizedList(new ArrayList<>());
    private final Function<IpPrefix, GeoLocation> answers;

    public RecordingLocator(Function<IpPrefix, GeoLocation> answers) {
        this.answers = answers;
    }

    @Override
    public GeoLocation locate(IpPrefix client) {
        asked.add(client);
        return answers.apply(client);
    }

    @Override
    public String describe() {
        return "recording";
    }
}
