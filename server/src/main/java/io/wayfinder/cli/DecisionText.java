package io.wayfinder.cli;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Decision;
import java.util.Locale;
import java.util.StringJoiner;

/** Renders a {@link Decision} for a terminal. */
final class DecisionText {
    private DecisionText() {
    }

    /** "US-WA, US at 47.6062, -122.3321 (geolocation holds for 216.160.83.0/24)", or why it is unknown. */
    static String located(Decision.ClientLocation where) {
        if (!where.configured()) {
            return "unknown: the configuration has no geolocation source";
        }
        if (!where.known()) {
            return "unknown: no geolocation source places it (nor any network of its length in " + where.network() + ")";
        }
        String place = where.subdivision() != null ? where.subdivision() + ", " + where.country()
                : where.country() != null ? where.country() : "an unknown country";
        return place + " at " + coordinate(where.latitude()) + ", " + coordinate(where.longitude())
                + " (geolocation holds for " + where.network() + ")";
    }

    private static String coordinate(double value) {
        String text = String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * "31.2 ms ± 2.1 (own: 40.5 samples, newest 3 min old; table 31.0 ms)", or for a network that
     * borrows, "... (borrowed from 10.1.0.0/16 ...)".
     */
    static String learned(Decision.Learned l) {
        StringBuilder out = new StringBuilder();
        out.append(l.estimateMs() == null ? "no estimate" : String.format(Locale.ROOT, "%.1f ms", l.estimateMs()));
        if (l.uncertaintyMs() != null) {
            out.append(String.format(Locale.ROOT, " ± %.1f", l.uncertaintyMs()));
        }
        out.append(" (").append(l.kind());
        if (l.borrowedFrom() != null) {
            out.append(" from ").append(l.borrowedFrom());
        }
        if (l.effectiveSamples() != null && l.effectiveSamples() > 0) {
            out.append(String.format(Locale.ROOT, "; own samples %.1f", l.effectiveSamples()));
        }
        if (l.ageMillis() != null) {
            out.append(", newest ").append(age(l.ageMillis())).append(" old");
        }
        if (l.tableMs() != null) {
            out.append(String.format(Locale.ROOT, "; table %.1f ms", l.tableMs()));
        }
        return out.append(')').toString();
    }

    /** An age in the largest unit that says it: 45 s, 12 min, 5 h, 3 d. */
    static String age(long millis) {
        long s = millis / 1000;
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " d";
    }

    static String render(Decision d) {
        StringBuilder out = new StringBuilder();
        out.append("client   ").append(d.client()).append(" (").append(d.clientSource()).append(")\n");
        out.append("located  ").append(located(d.clientLocation())).append('\n');
        for (Decision.Step step : d.steps()) {
            String indent = "  ".repeat(step.depth());
            out.append('\n').append(indent).append("profile  ").append(step.profile()).append(" (").append(step.method())
                    .append(step.failOpen() ? ", FAIL-OPEN: every eligible endpoint is Degraded, serving them anyway" : "")
                    .append(")\n");
            for (String finding : step.findings()) {
                out.append(indent).append("  ").append(finding).append('\n');
            }
            if (!step.estimates().isEmpty()) {
                out.append(indent).append(String.format(Locale.ROOT, "  %-20s %10s  %-24s %s%n", "region", "estimate", "evidence", "network"));
                for (Decision.RegionEstimate e : step.estimates()) {
                    String estimate = e.rttMs() == null ? "unknown" : String.format(Locale.ROOT, "%.1f ms", e.rttMs());
                    String evidence = e.evidence().label() + (e.samples() != null ? " (" + e.samples() + " samples)" : "");
                    out.append(indent).append(String.format(Locale.ROOT, "  %-20s %10s  %-24s %s%n", e.region(), estimate,
                            evidence, e.network() == null ? "-" : e.network()));
                    if (e.learned() != null) {
                        out.append(indent).append("    learned: ").append(learned(e.learned())).append('\n');
                    }
                }
            }
            for (Decision.EndpointState e : step.endpoints()) {
                out.append(indent).append(String.format(Locale.ROOT, "  %s %-14s %-26s %-16s %s%n",
                        e.verdict().startsWith("chosen") ? "*" : " ", e.name(), e.target(), e.status(), e.verdict()));
            }
            if (step.chosen().isEmpty() && step.reason() != null) {
                out.append(indent).append("  nothing to answer: ").append(step.reason()).append('\n');
            }
        }
        out.append('\n');
        String holds = "   (ECS scope /" + d.scope() + ": the same answer holds for "
                + IpPrefix.parse(d.client()).truncate(d.scope()) + ")\n";
        switch (d.outcome()) {
            case NXDOMAIN -> out.append("answer   NXDOMAIN (no endpoint to serve)\n");
            case NODATA -> out.append("answer   NODATA (no record for this client)").append(holds);
            case ANSWER -> {
                StringJoiner answers = new StringJoiner(", ");
                for (Decision.Answer a : d.answers()) {
                    answers.add(a.endpoint() + " -> " + a.target());
                }
                out.append("answer   ").append(answers).append(holds);
            }
        }
        return out.toString();
    }
}
