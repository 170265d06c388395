/**
 * The configuration model (records with defaults applied) and its validation:
 * {@link io.wayfinder.profile.ConfigValidator} checks how values relate, and each routing method
 * contributes its own checks through {@link io.wayfinder.profile.MethodRules}, so that this package
 * needs no routing. It uses geo, net and text only; it must not know its reader ({@code profile.read})
 * or anything that runs a configuration (routing, health, latency, control, answer, runtime, cli, metrics).
 */
package io.wayfinder.profile;
