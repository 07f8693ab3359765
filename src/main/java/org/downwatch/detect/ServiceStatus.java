package org.downwatch.detect;

import java.time.Instant;

/**
 * The detector's verdict for one service: its level ({@code none}, {@code possible}, {@code problem}),
 * since when (estimated onset), and the evidence: reports observed in the last {@code windowMinutes},
 * how many are usual then ({@code expected}) and the count above which they are anomalous ({@code upper}).
 */
public record ServiceStatus(int serviceId, String level, Instant since, int observed, double expected, double upper,
        int windowMinutes, double score, Instant evaluatedAt) {

    public static final String NONE = Level.NONE.wire();
    public static final String POSSIBLE = Level.POSSIBLE.wire();
    public static final String PROBLEM = Level.PROBLEM.wire();

    /** The verdict for a service the detector has not evaluated yet. */
    public static ServiceStatus unknown(int serviceId) {
        return new ServiceStatus(serviceId, NONE, null, 0, 0, 0, 15, 0, null);
    }

    public boolean hasProblems() {
        return !NONE.equals(level);
    }

    /**
     * The level every page and the API show: the detector's, raised to {@code problem} while the service
     * has an open incident (started at {@code openIncidentStart}, null when none), and to at least
     * {@code possible} while the count given as evidence is above its own upper bound. So nothing says
     * "no problems" next to an ongoing incident or an unusual count; {@code since} is the incident's
     * start when the detector gave none.
     */
    public ServiceStatus shown(Instant openIncidentStart) {
        String l = level;
        Instant s = since;
        if (openIncidentStart != null) {
            l = PROBLEM;
            s = s == null ? openIncidentStart : s;
        } else if (!hasProblems() && evaluatedAt != null && upper > 0 && observed > upper) {
            l = POSSIBLE;
        }
        return l.equals(level) && s == since ? this
                : new ServiceStatus(serviceId, l, s, observed, expected, upper, windowMinutes, score, evaluatedAt);
    }

    /** How far above the usual the observed count is (observed / max(expected, 1)). */
    public double ratio() {
        return observed / Math.max(expected, 1.0);
    }
}
