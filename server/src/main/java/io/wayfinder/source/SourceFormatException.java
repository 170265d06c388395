package io.wayfinder.source;

import java.io.IOException;

/** A data file (geolocation, latency, regions) that cannot be read; the message names file and line. */
public final class SourceFormatException extends IOException {
    public SourceFormatException(String message) {
        super(message);
    }
}
