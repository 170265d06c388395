package io.wayfinder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log's level and format, set from the command line over logback.xml's defaults (INFO, one text
 * line per event on stderr): JSON lines, one object per event, are for log shippers.
 */
final class LogSetup {
    /** How each event is written. */
    enum Format { text, json }

    private LogSetup() {
    }

    /** Sets the process's logging. */
    static void apply(Level level, Format format) {
        apply((LoggerContext) LoggerFactory.getILoggerFactory(), level, format);
    }

    /** Sets the logging of one logback context (configured from logback.xml, whose appender it changes). */
    static void apply(LoggerContext context, Level level, Format format) {
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        if (format == Format.json) {
            ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // The event, not logback's bookkeeping: time, level, thread, logger, message, exception.
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithMDC(false);
            json.setWithFormattedMessage(true);
            json.start();
            appender.stop();
            appender.setEncoder(json);
            appender.start();
        }
    }
}
