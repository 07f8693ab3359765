package org.downwatch.detect;

/**
 * The detector's fixed constants, tuned on {@code bench/detection} (docs/benchmarks.md); the settings an
 * operator may change are in {@link DetectConfig}. Changing one that is learned from changes what a saved
 * state means: bump {@link DetectorStateCodec#STATE_VERSION}.
 */
final class Tuning {

    private Tuning() {
    }

    // ## Time
    /** Minutes of a slot of the baseline's ring. */
    static final int SLOT = 15;
    static final int DAY = 24 * 60 / SLOT;
    static final int WEEK = 7 * DAY;

    // ## Baseline
    /** Slots on each side of a slot averaged into its seasonal rate (2: 75 minutes). */
    static final int NEIGHBOURS = 2;
    /** Share of the pooled time-of-day rates trimmed off each end (holidays, past outages' edges). */
    static final double POOL_TRIM = 0.1;
    /** Prior of the squared relative spread of a slot's rate between weeks beyond Poisson noise, and its weight in slots. */
    static final double CV_PRIOR = 0.05;
    static final double CV_PRIOR_SLOTS = 96;
    /** The slow (daily) level factor is shrunk towards 1 by this many reports. */
    static final double LEVEL_SHRINK = 10;
    /** Reports needed (besides {@code minHistoryMinutes}) before the baseline is trusted. */
    static final int MIN_HISTORY_REPORTS = 50;

    // ## Short-term level: follows a busy afternoon, learned late so that an outage is flagged before it is learned
    /** Time constant of its exponential average (minutes). */
    static final double SHORT_TAU = 60;
    /** It learns from buckets this old (minutes). */
    static final int SHORT_DELAY = 30;
    /** It is shrunk towards 1 by this many expected reports. */
    static final double SHORT_SHRINK = 40;

    // ## Noise: variance m + phi m^2
    static final double PHI_PRIOR = 0.05;
    /** Weight of the prior, in slots. */
    static final double PHI_PRIOR_SLOTS = 24;
    /**
     * The least over-dispersion of a trusted service (a spread of 10 % beyond Poisson): report counts are
     * rarely exactly Poisson, and a busy service that looked so flagged one-minute bursts.
     */
    static final double PHI_MIN = 0.01;
    /**
     * The over-dispersion the windows are tested with, as a multiple of the one estimated: crowd traffic
     * drifts by a log-normal factor whose tail is heavier than the negative binomial's, and the estimate
     * rests on winsorised minutes without the problems, a variance cut short at the top. On the crowd
     * simulator the estimate reads 0.10-0.18 where the drift's variance is 0.15-0.27. Tuned on the crowd
     * simulator, seeds 1-4 (1.5: 0.117 false alarms per service-week; 2: 0.042); Poisson counts keep
     * their floor's 0.01 doubled at most, so the known-rate steps do not move.
     */
    static final double PHI_TAIL = 1.6;
    /** The noise of an untrusted service's 15 minutes against its global rate: wide, the floor decides. */
    static final double UNTRUSTED_PHI = 1;

    // ## Windows
    /**
     * Windows of this many minutes or more are tested against the short-term level of their first bucket,
     * not each bucket's own: by the end of an hour the level, learned 30 minutes late, has taken in part of
     * a slow outage on a quiet service, the very thing the long window is there to see.
     */
    static final int FROZEN_WINDOW = 60;
    /**
     * ... and only while they expect at most this many reports (about one a minute): a busier service's
     * outages show in 30 minutes, and an hour against a level that does not move finds busy afternoons.
     */
    static final double FROZEN_WINDOW_MAX_EXPECTED = 60;

    // ## Learning
    /** A problem that lasts this long is learned from again (winsorised): the new normal, not an outage. */
    static final int RELEARN_AFTER_MINUTES = 12 * 60;
    /** How far back the onset of an outage is looked for (minutes). */
    static final int ONSET_MINUTES = 90;

    // ## Young services: from YOUNG_AFTER minutes and 50 reports until trusted, also tested against their recent level
    static final int YOUNG_AFTER = 120;
    /** Time constant (minutes) of a young service's recent level, learned like the short-term level 30 minutes late. */
    static final double YOUNG_TAU = 60;
    /**
     * Over-dispersion of a young service's counts around its expectation: with less than two days of
     * history, the recent level alone (it lags a morning's rise); with two days, the time of day as well.
     * Tuned with {@code bench/detection/tune.py --young} to at most 0.1 false alarms per service-week.
     */
    static final double YOUNG_PHI_RECENT_ONLY = 0.2;
    static final double YOUNG_PHI = 0.1;

    // ## The score calibrated on the service's own past (ScoreCalibration)
    /** Time constant (minutes) of the past the evidence is ranked among: a week (3 to 56 days: within 2.5 NAB points). */
    static final double CALIBRATION_TAU_MINUTES = 7 * 1440;
    /** The histogram of evidence: its lowest bin's lower edge, bins per doubling and how many bins (0.01 to about 650). */
    static final double CALIBRATION_LOWEST = 0.01;
    static final int CALIBRATION_BINS_PER_DOUBLING = 4;
    static final int CALIBRATION_BINS = 64;
}
