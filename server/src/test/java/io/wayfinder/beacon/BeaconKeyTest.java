package io.wayfinder.beacon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BeaconKeyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "https://shop.example.com,       https://shop.example.com",
            "HTTPS://Shop.Example.COM/,      https://shop.example.com",
            "https://shop.example.com:443,   https://shop.example.com",
            "http://shop.example.com:80,     http://shop.example.com",
            "http://127.0.0.5:8080,          http://127.0.0.5:8080",
            "https://[2001:db8::1]:8443,     https://[2001:db8::1]:8443",
    })
    void originsAreKeptAsBrowsersSendThem(String given, String normal) {
        assertThat(BeaconKey.normalizeOrigin(given)).isEqualTo(normal);
    }

    @ParameterizedTest
    @CsvSource({"shop.example.com", "ftp://shop.example.com", "https://shop.example.com/page", "https://shop.example.com?x=1",
            "https://user@shop.example.com", "https://", "null"})
    void thingsThatAreNotOriginsAreRefused(String given) {
        assertThatThrownBy(() -> BeaconKey.normalizeOrigin(given)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an origin");
    }

    @Test
    void aKeyAllowsItsOriginsOnlyAndStarAllowsAny() {
        BeaconKey k = BeaconKey.create("shop", List.of("https://shop.example.com", "http://127.0.0.5:8080"), 1, "ci");
        assertThat(k.allows("https://shop.example.com")).isTrue();
        assertThat(k.allows("https://SHOP.example.com:443")).isTrue();
        assertThat(k.allows("http://shop.example.com")).as("another scheme is another origin").isFalse();
        assertThat(k.allows("https://evil.example.com")).isFalse();
        assertThat(k.allows("null")).as("an opaque origin (a sandboxed frame, a file)").isFalse();
        assertThat(k.allows(null)).isFalse();
        BeaconKey any = BeaconKey.create("any", List.of("*"), 1, "ci");
        assertThat(any.allows("https://anything.example")).isTrue();
        assertThat(any.allows(null)).isTrue();
        assertThatThrownBy(() -> BeaconKey.normalizeOrigins(List.of("*", "https://a.example")))
                .hasMessageStartingWith("origins[0]: \"*\"");
        assertThatThrownBy(() -> BeaconKey.normalizeOrigins(List.of())).hasMessageStartingWith("origins:");
    }

    @Test
    void keysAreRandomAndOfOneForm() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String k = BeaconKey.newKey();
            assertThat(BeaconKey.looksLikeKey(k)).as(k).isTrue();
            assertThat(seen.add(k)).isTrue();
        }
        assertThat(BeaconKey.looksLikeKey("rum_AAAAAAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(BeaconKey.looksLikeKey("rum_short")).isFalse();
        assertThat(BeaconKey.looksLikeKey(null)).isFalse();
    }

    @Test
    void aRevokedKeyKeepsWhatItWasAndSaysWhoRevokedIt() {
        BeaconKey k = BeaconKey.create(" shop ", List.of("https://shop.example.com"), 100, "ci");
        assertThat(k.name()).isEqualTo("shop");
        BeaconKey r = k.revoke(200, "ops");
        assertThat(r.revoked()).isTrue();
        assertThat(r.key()).isEqualTo(k.key());
        assertThat(r.revokedBy()).isEqualTo("ops");
        assertThat(k.revoked()).isFalse();
        assertThatThrownBy(() -> BeaconKey.create("", List.of("*"), 1, "ci")).hasMessageStartingWith("name:");
    }
}
