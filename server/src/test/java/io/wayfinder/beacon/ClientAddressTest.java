package io.wayfinder.beacon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {
    static final List<IpPrefix> TRUSTED = List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001:db8:ffff::/48"));

    static String resolve(String peer, String header, List<IpPrefix> trusted) throws ClientAddress.Unreadable {
        byte[] a = ClientAddress.resolve(IpPrefix.parseAddress(peer), header, trusted);
        return IpPrefix.fromBytes(a, a.length * 8).addressText();
    }

    @ParameterizedTest(name = "peer {0}, header [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // peer            | header                                   | client
            "198.51.100.7      | 203.0.113.1                              | 198.51.100.7",  // not a trusted peer: header ignored
            "10.1.2.3          | null                                     | 10.1.2.3",      // trusted, no header: the peer
            "10.1.2.3          | 203.0.113.1                              | 203.0.113.1",
            "10.1.2.3          | 192.0.2.66, 203.0.113.1                  | 203.0.113.1",   // the left part was written by the client
            "10.1.2.3          | 203.0.113.1, 10.9.9.9                    | 203.0.113.1",   // a chain of trusted proxies is skipped
            "10.1.2.3          | 10.7.7.7, 10.9.9.9                       | 10.7.7.7",      // all trusted: the leftmost seen
            "10.1.2.3          | 203.0.113.1:5555                         | 203.0.113.1",   // with a port
            "10.1.2.3          | [2001:db8::5]:443                        | 2001:db8::5",
            "10.1.2.3          | 2001:db8::5                              | 2001:db8::5",
            "2001:db8:ffff::1  | 203.0.113.1, 2001:db8:ffff::9            | 203.0.113.1",
            "::ffff:10.1.2.3   | 203.0.113.1                              | 203.0.113.1",   // an IPv4-mapped peer is its IPv4 address
            "::ffff:198.51.100.7 | null                                   | 198.51.100.7",
            "10.1.2.3          | ' , 203.0.113.1 ,'                       | 203.0.113.1",   // empty hops ignored
    })
    void theClientIsTheNearestHopThatIsNotATrustedProxy(String peer, String header, String client) throws Exception {
        assertThat(resolve(peer, header, TRUSTED)).isEqualTo(client);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"unknown", "203.0.113.1, _hidden", "example.com"})
    void aTrustedProxysHeaderThatIsNotAnAddressIsUnreadable(String header) {
        assertThatThrownBy(() -> resolve("10.1.2.3", header, TRUSTED)).isInstanceOf(ClientAddress.Unreadable.class)
                .hasMessageContaining("is not an address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"10.1.2.3|203.0.113.1"})
    void withoutTrustedProxiesTheHeaderIsNeverRead(String peer, String header) throws Exception {
        assertThat(resolve(peer, header, List.of())).isEqualTo(peer);
        assertThat(resolve(peer, "garbage", List.of())).isEqualTo(peer);
    }
}
