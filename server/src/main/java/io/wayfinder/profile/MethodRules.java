package io.wayfinder.profile;

/**
 * What validation knows of one routing method: its name, the method-specific fields its profiles
 * may set, and the checks that only it makes. The routing package implements one per method and
 * {@link ConfigValidator} runs them, so that validation happens in one place while each method
 * owns its rules (and this package knows nothing of routing).
 */
public interface MethodRules {

    /** The {@code trafficRoutingMethod} value, spelt as Azure spells it. */
    String name();

    /** Whether profiles of this method read the field; where no method in use reads it, it is an error. */
    boolean uses(MethodField field);

    /**
     * Adds an error, with its field path, for everything wrong with a profile of this method that
     * the general checks do not cover.
     *
     * @param path the profile's path, such as {@code profiles[2]}
     */
    void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors);

    /** The fields that only some methods read. */
    enum MethodField {
        /** An endpoint's {@code geoMapping}. */
        geoMapping,
        /** An endpoint's {@code subnets}. */
        subnets,
        /** The profile's {@code maxReturn}. */
        maxReturn
    }
}
