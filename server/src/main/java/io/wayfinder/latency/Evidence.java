package io.wayfinder.latency;

/** Where a latency estimate came from, most trustworthy first. */
public enum Evidence {
    /** The client network's own entry in the table (the most specific prefix that contains it). */
    MEASURED,
    /** A less specific table prefix that contains the client's network. */
    COVERING,
    /** The mean of the measurements under a block of the address space around the client. */
    AGGREGATE,
    /** The distance model: great-circle distance from the client's geolocation to the region. */
    DISTANCE,
    /** Nothing is known. */
    NONE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The label, as people read it and as explanations print it (text and JSON alike). */
    @Override
    public String toString() {
        return label();
    }
}
