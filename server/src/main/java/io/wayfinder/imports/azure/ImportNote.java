package io.wayfinder.imports.azure;

/**
 * Something of the Azure export that the converted file does not carry (or carries changed), and why.
 *
 * @param profile  the Azure profile it belongs to, or null
 * @param endpoint the endpoint it belongs to, or null for the profile itself
 */
public record ImportNote(String profile, String endpoint, String message) {

    static ImportNote profile(String profile, String message) {
        return new ImportNote(profile, null, message);
    }

    @Override
    public String toString() {
        String where = profile == null ? "" : "profile " + profile;
        if (endpoint != null) {
            where += (where.isEmpty() ? "" : ", ") + "endpoint " + endpoint;
        }
        return where.isEmpty() ? message : where + ": " + message;
    }
}
