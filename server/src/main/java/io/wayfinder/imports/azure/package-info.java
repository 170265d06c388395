/**
 * {@code wayfinder import azure}: Azure Traffic Manager exports (ARM templates, {@code az network
 * traffic-manager} output) to a Wayfinder configuration file, with notes on what could not be
 * carried over. It reads JSON and writes YAML text; of Wayfinder it uses only what the
 * configuration model is built on (profile's name checks, the region and geographic-code
 * catalogues, address parsing), never the running machinery, so that converting a file needs no
 * server. The command line checks the result with the configuration reader.
 */
package io.wayfinder.imports.azure;
