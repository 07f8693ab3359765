package org.downwatch.detect;

import java.time.Duration;
import java.util.Arrays;

/**
 * The detector's tuning, shared by the live detector and the backtest (from {@code downwatch.detect.*}).
 *
 * @param windows         sliding windows (minutes) tested every bucket
 * @param problemAlpha    tail probability of one window's count under the baseline below which it is a
 *                        {@code problem} (tuned on the bench to at most 0.1 false alarms per service-week
 *                        for all windows together)
 * @param possibleScore   evidence (ln p / ln alpha, see {@link Detector}) from which the level is {@code possible}
 * @param minPossible     reports in a window needed before it may raise {@code possible}
 * @param minProblem      reports in a window needed before it may raise {@code problem}
 * @param floorProblem    with less than {@code minHistoryMinutes} of history: reports in 15 minutes that
 *                        raise {@code problem} ({@code possible} from {@code possibleScore} times that)
 * @param minHistoryMinutes history needed before the baseline is trusted
 * @param weeks           weeks of history kept for the weekly profile
 */
public record DetectorSettings(int[] windows, double problemAlpha, double possibleScore, int minPossible, int minProblem,
        int floorProblem, int minHistoryMinutes, int weeks) {

    /**
     * The defaults of {@link DetectConfig} (its constants, which its {@code @WithDefault}s name), for code
     * that runs the detector without CDI: the bench, plain tests.
     */
    public static DetectorSettings defaults() {
        return new DetectorSettings(Arrays.stream(DetectConfig.WINDOWS.split(",")).mapToInt(Integer::parseInt).toArray(),
                Double.parseDouble(DetectConfig.PROBLEM_ALPHA), Double.parseDouble(DetectConfig.POSSIBLE_SCORE),
                Integer.parseInt(DetectConfig.MIN_POSSIBLE), Integer.parseInt(DetectConfig.MIN_PROBLEM),
                Integer.parseInt(DetectConfig.FLOOR_PROBLEM), (int) Duration.parse(DetectConfig.MIN_HISTORY).toMinutes(),
                Integer.parseInt(DetectConfig.WEEKS));
    }

    public DetectorSettings withAlpha(double alpha) {
        return new DetectorSettings(windows, alpha, possibleScore, minPossible, minProblem, floorProblem, minHistoryMinutes, weeks);
    }
}
