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

    /** How far above the usual the observed count is (observed / max(expected, 1)). */
    public double ratio() {
        return observed / Math.max(expected, 1.0);
    }
}
