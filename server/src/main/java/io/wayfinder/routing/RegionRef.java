package io.wayfinder.routing;

/**
 * A region endpoints are placed in, resolved once: its coordinates, a seed for tie-breaking and its
 * column in the latency table ({@code -1} when the table has none, or before a table is chosen).
 */
public record RegionRef(String name, int column, double latitude, double longitude, long seed) {

    /** The same region in a table where it has this column. */
    RegionRef withColumn(int newColumn) {
        return new RegionRef(name, newColumn, latitude, longitude, seed);
    }
}
