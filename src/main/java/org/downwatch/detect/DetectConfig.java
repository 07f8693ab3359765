package org.downwatch.detect;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Settings of detection ({@code downwatch.detect.*}); see application.properties, {@code ## Detection}. */
@ConfigMapping(prefix = "downwatch.detect")
public interface DetectConfig {

    /** Whether this instance runs the live detector every minute. */
    @WithDefault("true")
    boolean enabled();

    /** Sliding windows tested every minute, in minutes. */
    @WithDefault("3,5,10,15,30,60")
    List<Integer> windows();

    /** Tail probability of a window's count under the baseline below which it is a problem. */
    @WithDefault("3e-6")
    double problemAlpha();

    /** Score from which the level is possible. */
    @WithDefault("0.6")
    double possibleScore();

    /** Reports in a window needed to raise possible. */
    @WithDefault("3")
    int minPossible();

    /** Reports in a window needed to raise problem. */
    @WithDefault("8")
    int minProblem();

    /** Without enough history: reports in 15 minutes that make a problem. */
    @WithDefault("20")
    int floorProblem();

    /** History needed before the baseline is trusted. */
    @WithDefault("PT72H")
    Duration minHistory();

    /** Weeks of per-slot history kept per service. */
    @WithDefault("4")
    int weeks();

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
     * restart, or another instance taking over, restores it and replays only the minutes since. Also
     * saved at shutdown.
     */
    @WithDefault("PT1H")
    Duration saveEvery();

    /** At most this many rows in a backtest (more: 413). */
    @WithDefault("200000")
    int backtestMaxRows();

    default DetectorSettings settings() {
        return new DetectorSettings(windows().stream().mapToInt(Integer::intValue).toArray(), problemAlpha(), possibleScore(),
                minPossible(), minProblem(), floorProblem(), (int) minHistory().toMinutes(), weeks());
    }
}
