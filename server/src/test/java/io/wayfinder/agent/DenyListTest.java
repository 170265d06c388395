package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DenyListTest {
    private static final DenyList FILE = DenyList.parse(List.of(
            "# networks that asked not to be probed",
            "",
            "192.0.2.0/24   # TEST-NET-1",
            "  2001:db8::/32",
            "198.51.100.7"), "deny.txt");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.55        | 192.0.2.0/24 (deny.txt:3)",
        "2001:db8:1::1     | 2001:db8::/32 (deny.txt:4)",
        "198.51.100.7      | 198.51.100.7/32 (deny.txt:5)",
        "198.51.100.8      | ",
        "0.0.0.0           | 0.0.0.0/8 (this network (unspecified))",
        "224.0.0.251       | 224.0.0.0/4 (multicast)",
        "239.255.255.250   | 224.0.0.0/4 (multicast)",
        "255.255.255.255   | 240.0.0.0/4 (reserved or broadcast)",
        "::                | ::/128 (unspecified)",
        "ff02::1           | ff00::/8 (multicast)",
        "127.0.0.1         | ",
        "::1               | ",
        "10.1.2.3          | ",
        "192.168.1.1       | ",
        "169.254.1.1       | ",
        "fe80::1           | ",
    })
    void deniesTheFilesNetworksAndWhatCanNeverBeProbed(String address, String why) {
        assertThat(FILE.denied(IpPrefix.parseAddress(address))).isEqualTo(why);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.0/33           | deny.txt:2: '192.0.2.0/33': prefix length must be 0-32",
        "192.0.2.1/24           | deny.txt:2: '192.0.2.1/24': host bits are set beyond /24",
        "example.com            | deny.txt:2: 'example.com' is not an IPv4 or IPv6 address",
    })
    void aBadLineIsNamed(String line, String message) {
        assertThatThrownBy(() -> DenyList.parse(List.of("10.0.0.0/8", line), "deny.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"224.0.0.1", "0.0.0.0", "255.255.255.255", "ff05::2"})
    void theBuiltInDenialsNeedNoFile(String address) {
        assertThat(DenyList.builtIn().denied(IpPrefix.parseAddress(address))).isNotNull();
    }
}
