/**
 * Writes the configuration model back as the JSON/YAML tree {@code profile.read} reads: the
 * store's form of a profile, the API's representation and {@code export}'s output. It uses the
 * model only; the model knows nothing of it.
 */
package io.wayfinder.profile.write;
