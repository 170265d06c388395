package io.wayfinder.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client networks as one long: the /24 or /48 a client is counted in, and the address that stands for it. */
class NetworkKeyTest {

    @ParameterizedTest(name = "{0} is counted in {1}, measured at {2}")
    @CsvSource({
        "81.2.69.7/32,       81.2.69.0/24,      81.2.69.1",
        "81.2.69.0/24,       81.2.69.0/24,      81.2.69.1",
        "81.2.69.128/25,     81.2.69.0/24,      81.2.69.1",
        "81.2.0.0/16,        81.2.0.0/16,       81.2.0.1",
        "0.0.0.0/0,          0.0.0.0/0,         0.0.0.1",
        "255.255.255.255/32, 255.255.255.0/24,  255.255.255.1",
        "2001:db8:7:1::9/128, 2001:db8:7::/48,  2001:db8:7::1",
        "2001:db8:7:100::/56, 2001:db8:7::/48,  2001:db8:7::1",
        "2001:db8::/32,      2001:db8::/32,     2001:db8::1",
        "ffff:ffff:ffff:ffff::/64, ffff:ffff:ffff::/48, ffff:ffff:ffff::1",
    })
    void keepsTheNetworkNeverTheAddress(String client, String network, String firstHost) {
        long key = NetworkKey.of(IpPrefix.parse(client));
        assertThat(NetworkKey.network(key)).isEqualTo(IpPrefix.parse(network));
        assertThat(NetworkKey.firstHost(key).addressText()).isEqualTo(firstHost);
    }

    @ParameterizedTest(name = "{0} and {1} are different keys")
    @CsvSource({
        "10.0.0.0/8,   ::a00:0/104",
        "10.0.0.0/8,   10.0.0.0/16",
        "0.0.0.0/0,    ::/0",
        "2001:db8::/32, 2001:db8::/48",
    })
    void familiesAndLengthsStayApart(String a, String b) {
        assertThat(NetworkKey.of(IpPrefix.parse(a))).isNotEqualTo(NetworkKey.of(IpPrefix.parse(b)));
    }
}
