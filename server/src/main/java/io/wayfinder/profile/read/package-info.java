/**
 * Reads a YAML (or JSON) configuration tree into the {@code profile} model, one reader per section,
 * collecting every error with its field path and a "did you mean". It uses the model, geo, net and
 * text. Only the control path and the command line read files; the query path (dns, answer, routing)
 * must never depend on this package.
 */
package io.wayfinder.profile.read;
