package io.wayfinder.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.dns.wire.WireNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NameTable}: a name's slot reads back the value {@code get} finds, and a missing name has none. */
class NameTableTest {
    private static final NameTable<String> TABLE = new NameTable.Builder<String>()
            .put(WireNames.toWire("app.test"), "apex")
            .put(WireNames.toWire("www.app.test"), "www")
            .put(WireNames.toWire("ns1.app.test"), "ns1")
            .build();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(nullValues = "-", value = {
        "app.test, apex",
        "www.app.test, www",
        "ns1.app.test, ns1",
        "nothing.app.test, -",
        "test, -",
    })
    void aSlotReadsBackWhatGetFinds(String name, String value) {
        byte[] wire = WireNames.toWire(name);
        int slot = TABLE.slot(wire, 0, wire.length);

        assertThat(TABLE.get(wire)).isEqualTo(value);
        if (value == null) {
            assertThat(slot).isEqualTo(-1);
        } else {
            assertThat(slot).isNotNegative();
            assertThat(TABLE.at(slot)).isEqualTo(value);
        }
    }
}
