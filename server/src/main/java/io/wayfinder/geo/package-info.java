/**
 * Where things are: the region catalogue, the geographic-code hierarchy Geographic routing matches
 * against, great-circle distance, and geolocation of client networks (CSV and MaxMind DB sources,
 * combined and cached). It sits low: it uses only net, text and source, and knows nothing of
 * configuration, latency or routing, which build on it.
 */
package io.wayfinder.geo;
