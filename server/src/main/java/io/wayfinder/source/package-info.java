/**
 * Reading operators' data files (geolocation, latency, regions) line by line as simple CSV, with
 * errors that name the file and line. It may parse a prefix (net) but knows nothing of what the
 * rows mean.
 */
package io.wayfinder.source;
