package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * ANY gets one RRset (RFC 8482), over UDP and TCP alike: the SOA at an apex, a name server's A
 * records, a profile's routed answer. A flood of ANY queries then reflects little more than it is sent.
 */
class MinimalAnyIntegrationTest {
    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.start(dir);
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @ParameterizedTest(name = "{0} over {1}: {2}")
    @CsvSource({
        "app.test,       udp, SOA,   ",
        "app.test,       tcp, SOA,   ",
        "big.test,       udp, SOA,   ",
        "ns1.app.test,   udp, A,     127.0.0.1",
        "ns1.app.test,   tcp, A,     127.0.0.1",
        "www.app.test,   udp, A,     192.0.2.10",
        "www.app.test,   tcp, A,     192.0.2.10",
        "alias.app.test, udp, CNAME, eu.app.test.",
        "alias.app.test, tcp, CNAME, eu.app.test.",
    })
    void anyGetsOneRRset(String name, String transport, String type, String data) throws IOException {
        Message response = deployment.ask(name, Type.ANY, "81.2.69.0/24", transport.equals("tcp"));
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        List<Record> answer = response.getSection(Section.ANSWER);
        assertThat(answer).isNotEmpty();
        assertThat(answer).extracting(Record::getType).as("one type").containsOnly(Type.value(type));
        assertThat(answer).extracting(r -> r.getName().toString()).as("one owner").containsOnly(name + ".");
        if (data != null) {
            assertThat(answer).extracting(Record::rdataToString).containsExactly(data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"udp", "tcp"})
    void anyAtAnEmptyNonTerminalIsNodata(String transport) throws IOException {
        Message response = deployment.ask("deep.app.test", Type.ANY, null, transport.equals("tcp"));
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }
}
