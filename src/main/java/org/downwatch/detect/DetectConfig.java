package org.downwatch.detect;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * Settings of detection ({@code downwatch.detect.*}, e.g. {@code DOWNWATCH_DETECT_PROBLEM_ALPHA}) and the one
 * place of their defaults. The detector's defaults are the string constants below, which {@code @WithDefault}
 * takes (an annotation may name a constant) and {@link DetectorSettings#defaults()} parses the same way for
 * the code that runs the detector without CDI (the bench, plain tests). The windows, alpha and report counts
 * are tuned on {@code bench/detection} (docs/benchmarks.md).
 */
@ConfigMapping(prefix = "downwatch.detect")
public interface DetectConfig {

    /**
     * No 1-minute window: it gains at most a minute on sudden outages of busy services and spends the
     * false-alarm budget on single noisy minutes. The 60-minute one is for quiet services (see {@link Tuning#FROZEN_WINDOW}).
     */
    String WINDOWS = "3,5,10,15,30,60";
    /** At most 0.1 false alarms per service-week, all windows together, on both simulated noises of the bench. */
    String PROBLEM_ALPHA = "3e-6";
    String POSSIBLE_SCORE = "0.6";
    /** One person is counted once: a window needs this many reports to raise possible, resp. problem. */
    String MIN_POSSIBLE = "3";
    /** 8: a quiet service's handful of reports at night makes no incident, at the same recall on the bench. */
    String MIN_PROBLEM = "8";
    String FLOOR_PROBLEM = "20";
    String MIN_HISTORY = "PT72H";
    String WEEKS = "4";

    /** Whether this instance runs the live detector every minute (the tests drive it by hand). */
    @WithDefault("true")
    boolean enabled();

    /** Sliding windows tested every minute, in minutes. */
    @WithDefault(WINDOWS)
    List<Integer> windows();

    /** Tail probability of a window's count under the baseline below which it is a problem. */
    @WithDefault(PROBLEM_ALPHA)
    double problemAlpha();

    /** Score from which the level is possible. */
    @WithDefault(POSSIBLE_SCORE)
    double possibleScore();

    /** Reports in a window needed to raise possible. */
    @WithDefault(MIN_POSSIBLE)
    int minPossible();

    /** Reports in a window needed to raise problem. */
    @WithDefault(MIN_PROBLEM)
    int minProblem();

    /**
     * Without enough history (or fewer than 50 reports): reports in 15 minutes that make a problem
     * (possible from possible-score times that); a young service is also judged against its recent level.
     */
    @WithDefault(FLOOR_PROBLEM)
    int floorProblem();

    /** History needed before the baseline is trusted. */
    @WithDefault(MIN_HISTORY)
    Duration minHistory();

    /** Weeks of per-slot history kept per service. */
    @WithDefault(WEEKS)
    int weeks();

    /**
     * Distinct wide networks (IPv4 /24, IPv6 /48) the reports of the last hour must come from before they may
     * raise a level; with fewer, each network counts as one report at most ({@link NetworkGate}).
     */
    @WithDefault("5")
    int minNetworks();

    /** An incident closes after the level stayed none this long. */
    @WithDefault("PT30M")
    Duration closeAfter();

    /**
     * How long after a minute ends it is evaluated (the job runs at second 5 of every minute). The demo
     * writes its minutes in batches once a minute, so the dev profile waits one more minute.
     */
    @WithDefault("PT0S")
    Duration lag();

    /**
     * History replayed at start when no saved state of the detectors can be restored (and after the demo
     * rewrote it): as long as the weeks kept, so that the profile is the one the backtest learns.
     */
    @WithDefault("P28D")
    Duration replay();

    /**
     * How often the evaluating instance saves what the detectors learned ({@code detector_state}); a
     * restart, or another instance taking over, restores it if it was learned under these settings and
     * is no older than {@link #replay()}, and feeds only the minutes since. Also saved at shutdown.
     */
    @WithDefault("PT1H")
    Duration saveEvery();

    /** At most this many rows in a backtest (more: 413). */
    @WithDefault("200000")
    int backtestMaxRows();

    /** Backtests running at once on this instance (each costs up to seconds of CPU and ~100 MB); more: 503. */
    @WithDefault("2")
    int backtestConcurrency();

    default DetectorSettings settings() {
        return new DetectorSettings(windows().stream().mapToInt(Integer::intValue).toArray(), problemAlpha(), possibleScore(),
                minPossible(), minProblem(), floorProblem(), (int) minHistory().toMinutes(), weeks());
    }
}
