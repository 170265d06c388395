package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Columns as wide as their widest cell, two spaces apart; right-aligned columns line up their digits. */
class TableTest {

    @Test
    void columnsArePaddedToTheirWidestCellAndTheLastIsNot() {
        Table table = new Table("NAME", "TARGET", "NOTE").row("a", "192.0.2.1", "x").row("longer", null, "");

        assertThat(table.toString()).isEqualTo("""
                NAME    TARGET     NOTE
                a       192.0.2.1  x
                longer  -          -
                """);
    }

    @Test
    void rightAlignedColumnsPadOnTheLeft() {
        Table table = new Table("NAME", "LATITUDE", "PROVIDER").alignRight(1).row("eastus", "37.3719", "azure")
                .row("westeurope", "52.3667", "azure").row("x", "-1", "aws");

        assertThat(table.render("  ")).isEqualTo("""
                  NAME        LATITUDE  PROVIDER
                  eastus       37.3719  azure
                  westeurope   52.3667  azure
                  x                 -1  aws
                """);
    }
}
