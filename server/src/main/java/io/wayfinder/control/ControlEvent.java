package io.wayfinder.control;

import java.time.Instant;
import java.util.List;

/**
 * Something the control path did that an operator may want to watch as it happens (the API's event
 * stream): an endpoint's status changed, a profile started or stopped failing open (or answering
 * with its fallback), or a new configuration was applied. The same facts the log states, as values.
 *
 * @param type     what happened (see {@link Type})
 * @param profile  the profile concerned, or null for a configuration change
 * @param endpoint the endpoint concerned ({@link Type#ENDPOINT_STATUS}), or null
 * @param from     the status before ({@link Type#ENDPOINT_STATUS}), or null
 * @param to       the status after ({@link Type#ENDPOINT_STATUS}), or null
 * @param reason   why, in words: a probe result, what a nested child has left, who changed the configuration
 * @param changes  what a configuration change changed, one line each as the log says it; empty otherwise
 * @param message  the log line
 */
public record ControlEvent(Instant time, Type type, String profile, String endpoint, String from, String to, String reason,
                           List<String> changes, String message) {
    public ControlEvent {
        changes = List.copyOf(changes);
    }

    /** The kinds of event, with the name the event stream gives them. */
    public enum Type {
        ENDPOINT_STATUS("endpoint-status"),
        FAIL_OPEN_START("fail-open-start"),
        FAIL_OPEN_END("fail-open-end"),
        FALLBACK_START("fallback-start"),
        FALLBACK_END("fallback-end"),
        CONFIGURATION("configuration");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
