package io.wayfinder.profile;

/** One thing wrong with a configuration: where (a field path like {@code profiles[1].dnsConfig.ttl}) and what. */
public record ConfigError(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
