package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `serve --log-level --log-format`: the level filters, and json writes one object per line. */
class LogSetupTest {

    /** What a context configured from logback.xml, then by LogSetup, writes for one INFO and one WARN line. */
    private static String logged(Level level, LogSetup.Format format) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own initialisation gives the global context
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogSetup.class.getResource("/logback.xml"));
            LogSetup.apply(context, level, format);
            context.getLogger("io.wayfinder.control.StatusLog").info("endpoint {}/{}: Online -> Degraded", "web", "eu");
            context.getLogger("io.wayfinder.control.StatusLog").warn("a warning");
        } finally {
            context.stop();
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INFO, 2", "WARN, 1", "ERROR, 0"})
    void theLevelFiltersEvents(String level, int lines) throws Exception {
        assertThat(logged(Level.toLevel(level), LogSetup.Format.text).lines()).hasSize(lines);
    }

    @org.junit.jupiter.api.Test
    void textIsOneLineWithTimeLevelLoggerAndMessage() throws Exception {
        assertThat(logged(Level.INFO, LogSetup.Format.text).lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO StatusLog - endpoint web/eu: Online -> Degraded");
    }

    @org.junit.jupiter.api.Test
    void jsonIsOneObjectPerLineWithTheFormattedMessage() throws Exception {
        String out = logged(Level.INFO, LogSetup.Format.json);
        assertThat(out.lines()).hasSize(2);
        JsonNode event = JsonMapper.builder().build().readTree(out.lines().findFirst().orElseThrow());
        assertThat(event.get("level").asString()).isEqualTo("INFO");
        assertThat(event.get("loggerName").asString()).isEqualTo("io.wayfinder.control.StatusLog");
        assertThat(event.get("formattedMessage").asString()).isEqualTo("endpoint web/eu: Online -> Degraded");
        assertThat(event.get("timestamp").isNumber()).isTrue();
    }
}
