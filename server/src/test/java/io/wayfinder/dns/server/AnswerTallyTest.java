package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A batch's answers reach the stats at the flush, each rcode's count whole, and only once. */
class AnswerTallyTest {
    @ParameterizedTest(name = "rcodes {0}")
    @CsvSource({
        "0",
        "0 0 0 3 0 2 0",
        "5 5 1 4 16 23 30",   // above 23: counted with 23, as recordAnswer does
        "''",
    })
    void aFlushAddsWhatWasCountedSinceTheLast(String rcodes) {
        ServerStats tallied = new ServerStats();
        ServerStats direct = new ServerStats();
        AnswerTally tally = new AnswerTally(tallied);
        for (int round = 0; round < 3; round++) {
            for (String r : rcodes.isBlank() ? new String[0] : rcodes.split(" ")) {
                tally.count(Integer.parseInt(r));
                direct.recordAnswer(Integer.parseInt(r));
            }
            if (round == 0) {
                assertThat(tallied.responses()).as("before the first flush").isZero();
            }
            tally.flush();
            tally.flush(); // a second flush adds nothing
            for (int rcode = 0; rcode < 24; rcode++) {
                assertThat(tallied.responses(rcode)).as("rcode %d after round %d", rcode, round)
                        .isEqualTo(direct.responses(rcode));
            }
        }
    }
}
