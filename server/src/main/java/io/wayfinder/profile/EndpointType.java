package io.wayfinder.profile;

/** An endpoint answers with its target (external) or delegates to another profile (nested). */
public enum EndpointType {
    external, nested
}
