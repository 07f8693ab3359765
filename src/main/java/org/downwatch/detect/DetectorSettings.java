package org.downwatch.detect;

/**
 * The detector's tuning, shared by the live detector and the backtest (from {@code downwatch.detect.*}).
 *
 * @param windows         sliding windows (minutes) tested every bucket
 * @param problemAlpha    tail probability of one window's count under the baseline below which it is a
 *                        {@code problem} (tuned on the bench to at most 0.1 false alarms per service-week
 *                        for all windows together)
 * @param possibleScore   score (see {@link Detector}) from which the level is {@code possible}
 * @param minPossible     reports in a window needed before it may raise {@code possible}
 * @param minProblem      reports in a window needed before it may raise {@code problem}
 * @param floorProblem    with less than {@code minHistoryMinutes} of history: reports in 15 minutes that
 *                        raise {@code problem} ({@code possible} from {@code possibleScore} times that)
 * @param minHistoryMinutes history needed before the baseline is trusted
 * @param weeks           weeks of history kept for the weekly profile
 */
public record DetectorSettings(int[] windows, double problemAlpha, double possibleScore, int minPossible, int minProblem,
        int floorProblem, int minHistoryMinutes, int weeks) {

    public static DetectorSettings defaults() {
        return new DetectorSettings(new int[] { 3, 5, 10, 15, 30, 60 }, 3e-6, 0.6, 3, 8, 20, 3 * 1440, 4);
    }

    public DetectorSettings withAlpha(double alpha) {
        return new DetectorSettings(windows, alpha, possibleScore, minPossible, minProblem, floorProblem, minHistoryMinutes, weeks);
    }
}
