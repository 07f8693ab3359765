package org.downwatch.detect;

import static org.downwatch.detect.Tuning.FROZEN_WINDOW;
import static org.downwatch.detect.Tuning.FROZEN_WINDOW_MAX_EXPECTED;
import static org.downwatch.detect.Tuning.MIN_HISTORY_REPORTS;
import static org.downwatch.detect.Tuning.ONSET_MINUTES;
import static org.downwatch.detect.Tuning.RELEARN_AFTER_MINUTES;
import static org.downwatch.detect.Tuning.SLOT;
import static org.downwatch.detect.Tuning.UNTRUSTED_PHI;
import static org.downwatch.detect.Tuning.YOUNG_AFTER;
import static org.downwatch.detect.Tuning.YOUNG_PHI;
import static org.downwatch.detect.Tuning.YOUNG_PHI_RECENT_ONLY;
import static org.downwatch.detect.Tuning.YOUNG_TAU;

import java.util.Arrays;

/**
 * The outage detector for one series of counts (one service), fed bucket by bucket in time order. Plain
 * Java: the live detector keeps one per service in memory and the backtest runs a fresh one over the
 * posted series, so both run exactly this code. It is causal: the verdict for a bucket depends only on the
 * buckets fed before it and on itself.
 * <p>
 * Every bucket, the counts of the sliding windows ({@link DetectorSettings#windows()}) are tested against
 * their expected sum ({@link Baseline}, times the short-term level) under the {@link Dispersion}'s noise:
 * a window's evidence is ln P(X >= x) / ln alpha (not capped: 2 is a tail probability of alpha squared), and
 * the bucket's evidence the highest. {@code problem} at evidence 1, {@code possible} from {@code possibleScore}; a problem lasts while the score
 * stays possible. Too few reports in a window ({@code minPossible}, {@code minProblem}) cannot raise a
 * level: one person never does. Until the baseline is trusted the floor applies ({@code floorProblem}
 * reports in 15 minutes), and a young service is also tested against its recent level. What is learned:
 * the unflagged buckets (winsorised), a recurring or long (12 hours) problem as the new normal, everything
 * before the baseline is trusted.
 * <p>
 * {@link #state()} gives everything it learned as bytes, and {@link #restore} a detector that goes on
 * exactly as the saved one would have (same verdicts, bit for bit), under the same settings only.
 */
public final class Detector {

    /**
     * The verdict for one bucket, with the evidence of the last 15 minutes. {@code score} is the bucket's
     * evidence calibrated on the service's own past ({@link ScoreCalibration}): -log10 of the share of its
     * past buckets at least as surprising, graded and not capped; the level comes from the evidence itself.
     */
    public record Verdict(long minute, int count, double expected, int upper, double score, Level level, long onset,
            int observed, double windowExpected, int windowUpper, int windowMinutes) {

        public boolean problem() {
            return level == Level.PROBLEM;
        }
    }

    /** The score of a count that the noise model cannot produce at all (an infinite surprise), kept finite. */
    static final double MAX_SCORE = 1000;

    final DetectorSettings settings;
    final int bucket;
    private final double lnAlpha;
    private final int[] windowRows;
    private final int rows15;
    private final double youngDecay;
    final Baseline baseline;
    final Dispersion dispersion = new Dispersion();
    final ScoreCalibration calibration;
    final RecentBuckets recent;

    long lastMinute = Long.MIN_VALUE;
    /** Minutes since the level left {@code none}. */
    long flaggedMinutes;
    Level level = Level.NONE;
    long since = -1;
    /** A young service's recent level: reports and minutes, exponentially averaged. */
    double youngObs;
    double youngMinutes;

    /** A detector for buckets of {@code bucketMinutes} (1 to 60). */
    public Detector(DetectorSettings settings, int bucketMinutes) {
        if (bucketMinutes < 1 || bucketMinutes > 60) {
            throw new IllegalArgumentException("bucket must be 1 to 60 minutes");
        }
        this.settings = settings;
        this.bucket = bucketMinutes;
        this.lnAlpha = Math.log(settings.problemAlpha());
        this.windowRows = Arrays.stream(settings.windows()).map(w -> Math.max(1, (w + bucketMinutes - 1) / bucketMinutes))
                .distinct().sorted().toArray();
        this.rows15 = Math.max(1, (15 + bucketMinutes - 1) / bucketMinutes);
        int keep = Math.max(Math.max(windowRows[windowRows.length - 1], rows15), (ONSET_MINUTES + bucketMinutes - 1) / bucketMinutes);
        this.recent = new RecentBuckets(keep, bucketMinutes);
        this.youngDecay = Math.exp(-bucketMinutes / YOUNG_TAU);
        this.baseline = new Baseline(settings, bucketMinutes);
        this.calibration = new ScoreCalibration(bucketMinutes);
    }

    public int bucketMinutes() {
        return bucket;
    }

    /** The last minute fed, or {@code Long.MIN_VALUE}. */
    public long lastMinute() {
        return lastMinute;
    }

    public Level level() {
        return level;
    }

    /**
     * Feeds the count of the bucket starting at {@code minute} (epoch minutes, increasing; a skipped
     * bucket is missing data) and answers the verdict for it.
     */
    public Verdict step(long minute, int count) {
        return step(minute, count, true);
    }

    /**
     * As {@link #step(long, int)}; without {@code bounds} the upper bounds are left out (-1), which
     * makes replaying weeks of history cheaper.
     */
    public Verdict step(long minute, int count, boolean bounds) {
        if (minute <= lastMinute) {
            throw new IllegalArgumentException("buckets must be fed in increasing time order");
        }
        if (count < 0) {
            throw new IllegalArgumentException("counts are not negative");
        }
        lastMinute = minute;
        long s = Math.floorDiv(minute, SLOT);
        if (s != baseline.slot) {
            dispersion.endSlot();
            baseline.enterSlot(s);
        }
        boolean trusted = baseline.trusted();
        boolean young = !trusted && young();
        double phi = dispersion.phi();
        double base = baseline.baseRate();
        double rate = young ? youngRate(base) : base * baseline.shortLevel();
        baseline.setExpectedRate(rate);
        double rowExpected = rate * bucket;
        recent.push(minute, count, rowExpected, base * bucket);

        double score = score(minute, trusted, young, phi);
        int observed = 0;
        double windowExpected = 0;
        for (int i = 0; i < recent.size; i++) {
            int j = recent.row(i);
            if (minute - recent.minute[j] >= (long) rows15 * bucket) {
                break;
            }
            observed += recent.count[j];
            windowExpected += recent.expected[j];
        }

        Level next = score >= 1 ? Level.PROBLEM : score >= settings.possibleScore() ? Level.POSSIBLE : Level.NONE;
        if (level == Level.PROBLEM && next == Level.POSSIBLE) {
            next = Level.PROBLEM; // a problem lasts while the evidence stays at least possible
        }
        if (next == Level.NONE) {
            since = -1;
        } else if (level == Level.NONE) {
            since = recent.onset(minute);
        }
        level = next;
        boolean problem = level == Level.PROBLEM;
        recent.flagNewest(problem);
        if (problem) {
            baseline.flagCurrentSlot();
        }
        if (!problem) {
            learnShortLevel(minute, phi);
        }
        learn(minute, count, rowExpected, trusted, young, problem, phi);
        double calibrated = calibration.score(score);
        return new Verdict(minute, count, rowExpected, bounds ? upperFor(rowExpected, trusted, young, phi) : -1, calibrated, level,
                since, observed, windowExpected, bounds ? upperFor(windowExpected, trusted, young, phi) : -1, rows15 * bucket);
    }

    /**
     * The bucket's score: one pass back over the recent buckets, the windows from the shortest, each scored
     * once the next bucket is outside it.
     */
    private double score(long minute, boolean trusted, boolean young, double phi) {
        double score = 0;
        int x = 0;
        double e = 0;
        double eBase = 0;
        int first = -1;
        for (int w = 0, i = 0; w < windowRows.length;) {
            long span = (long) windowRows[w] * bucket;
            if (i < recent.size) {
                int j = recent.row(i);
                if (minute - recent.minute[j] < span) {
                    x += recent.count[j];
                    e += recent.expected[j];
                    eBase += recent.base[j];
                    first = j;
                    i++;
                    continue;
                }
            }
            double expected = e;
            boolean tested = true;
            if (span >= FROZEN_WINDOW) {
                // long windows are for quiet services, whose outages take time to show; they are tested at the
                // short-term level of their first bucket, so that what they hold of an outage is not learned yet
                tested = e <= FROZEN_WINDOW_MAX_EXPECTED;
                if (first >= 0 && recent.base[first] > 0) {
                    expected = eBase * (recent.expected[first] / recent.base[first]);
                }
            }
            if (young && span < FROZEN_WINDOW) {
                score = Math.max(score, youngScore(x, expected));
            }
            if (tested) {
                double sw = windowScore(windowRows[w], x, expected, trusted, phi);
                // an hour of a quiet service: a problem takes as many people as the floor (a clear outage
                // brings 20 extra reports in its first hour), fewer are at most possible
                score = Math.max(score, span >= FROZEN_WINDOW && x < settings.floorProblem() ? Math.min(sw, 0.999) : sw);
            }
            w++;
        }
        return Double.isFinite(score) ? score : MAX_SCORE;
    }

    /**
     * What the baseline learns of the bucket: a young service's outage winsorised, not as its usual volume;
     * before the baseline is trusted everything (the floor protects); once trusted, what was not flagged,
     * a problem lasting more than 12 hours (the new normal) and one recurring at the same time of day or week.
     */
    private void learn(long minute, int count, double rowExpected, boolean trusted, boolean young, boolean problem, double phi) {
        flaggedMinutes = level == Level.NONE ? 0 : flaggedMinutes + bucket;
        if (young && problem && flaggedMinutes <= RELEARN_AFTER_MINUTES) {
            learn(Math.min(count, Dispersion.clip(rowExpected, youngPhi())), rowExpected);
        } else if (!trusted) {
            learn(count, rowExpected);
        } else if (level == Level.NONE) {
            learn(Math.min(count, Dispersion.clip(rowExpected, phi)), rowExpected);
        } else if (level == Level.POSSIBLE && baseline.seasonalFromHistory) {
            // a possible is the noise's own upper tail as often as not (a drift, a surge): the dispersion
            // learns it, or it would measure a variance cut at the possible level; the ring and the slow
            // level do not (an outage's first minutes are often possible)
            dispersion.add(Math.min(count, Dispersion.clip(rowExpected, phi)), rowExpected);
            if (flaggedMinutes > RELEARN_AFTER_MINUTES || baseline.recurring()) {
                baseline.learnSlot(Math.min(count, Dispersion.clip(rowExpected, phi)));
            }
        } else if (flaggedMinutes > RELEARN_AFTER_MINUTES || baseline.recurring()) {
            // a flagged bucket is learned only into its slot of the ring, the history that later days' and
            // weeks' seasonal rates read: never into the slow level or the dispersion, which are the
            // expectation of the open incident (it closes when the counts come back near it)
            baseline.learnSlot(Math.min(count, Dispersion.clip(rowExpected, phi)));
        }
        learnYoungLevel(minute, trusted);
    }

    private void learn(double count, double rowExpected) {
        if (baseline.learn(count)) {
            dispersion.add(count, rowExpected);
        }
    }

    /**
     * A window's score, ln P(X >= x) / ln alpha, not capped: {@code x} reports in {@code rows} buckets where
     * {@code e} were expected (1 is the problem threshold, 2 a tail probability of alpha squared).
     */
    private double windowScore(int rows, int x, double e, boolean trusted, double phi) {
        double sw;
        if (x < settings.minPossible()) {
            sw = 0; // too few people to say anything: no need to compute
        } else if (trusted) {
            sw = TailProbability.lnUpperTail(x, e, phi) / lnAlpha;
        } else if (rows == rows15) {
            // the floor, and (once a little history exists) well above it, with a wide noise
            sw = Math.min(x / (double) settings.floorProblem(), TailProbability.lnUpperTail(x, e, UNTRUSTED_PHI) / lnAlpha);
        } else {
            sw = 0;
        }
        return gate(sw, x);
    }

    private double gate(double score, int x) {
        if (x < settings.minPossible()) {
            return 0;
        }
        return x < settings.minProblem() ? Math.min(score, 0.999) : score;
    }

    private int upperFor(double expected, boolean trusted, boolean young, double phi) {
        if (young) {
            return Math.max(settings.floorProblem() - 1, TailProbability.upper(expected, youngPhi(), lnAlpha));
        }
        if (!trusted) {
            return Math.max(settings.floorProblem() - 1, TailProbability.upper(expected, UNTRUSTED_PHI, lnAlpha));
        }
        return Math.max(settings.minProblem() - 1, TailProbability.upper(expected, phi, lnAlpha));
    }

    /** The count of a bucket or window with this expected count above which it is anomalous. */
    public int upper(double expected) {
        boolean trusted = baseline.trusted();
        return upperFor(expected, trusted, !trusted && young(), dispersion.phi());
    }

    /**
     * Whether the service is young: not trusted yet, but {@code YOUNG_AFTER} minutes and 50 reports into its
     * history, and its recent level has half an hour behind it.
     */
    private boolean young() {
        return baseline.historyMinutes >= YOUNG_AFTER && baseline.historyReports >= MIN_HISTORY_REPORTS && youngMinutes >= 30;
    }

    private double youngPhi() {
        return baseline.seasonalFromHistory ? YOUNG_PHI : YOUNG_PHI_RECENT_ONLY;
    }

    /**
     * A young service's expected rate: its recent level (the mean count of the last hour or so, learned 30
     * minutes late from buckets that were not a {@code problem}), and from two days of history the usual
     * rate at this time of day if that is higher (it knows the morning's rise that the recent level lags).
     */
    private double youngRate(double base) {
        double r = youngObs / youngMinutes;
        return baseline.seasonalFromHistory ? Math.max(base, r) : r;
    }

    /**
     * A young service's window: {@code x} reports where {@code e} were expected, with the young noise; a
     * {@code problem} takes as many people as the floor.
     */
    private double youngScore(int x, double e) {
        if (x < settings.minPossible()) {
            return 0;
        }
        double sw = TailProbability.lnUpperTail(x, e, youngPhi()) / lnAlpha;
        return gate(x < settings.floorProblem() ? Math.min(sw, 0.999) : sw, x);
    }

    /**
     * The young service's recent level learns the bucket {@code SHORT_DELAY} minutes old, unless it was a
     * problem; from its first report until the baseline is trusted (then it is never used again).
     */
    private void learnYoungLevel(long minute, boolean trusted) {
        int j = trusted || baseline.historyReports == 0 ? -1 : recent.delayedRow(minute);
        if (j < 0) {
            return;
        }
        youngObs = youngDecay * youngObs + recent.count[j];
        youngMinutes = youngDecay * youngMinutes + bucket;
    }

    /**
     * The short-term level learns the bucket {@code SHORT_DELAY} minutes old if it was not a {@code problem},
     * and only while the level is not {@code problem}: an outage is flagged before it can be learned, and the
     * level is frozen while it lasts. A {@code possible} does not freeze it: a busy afternoon often looks
     * possible at first, and must be followed.
     */
    private void learnShortLevel(long minute, double phi) {
        int j = baseline.seasonalFromHistory ? recent.delayedRow(minute) : -1;
        if (j >= 0) {
            baseline.learnShort(recent.count[j], recent.expected[j], recent.base[j], phi);
        }
    }

    /**
     * The expected reports per minute at {@code minute} as the detector saw it (NaN when unknown:
     * older than the kept history, not fed, or beyond the current slot).
     */
    public double expectedRate(long minute) {
        return baseline.expectedRate(minute);
    }

    /** Reports in the buckets fed from {@code minute} on, as far as the recent buckets go back (90 minutes). */
    public int countSince(long minute) {
        return recent.countSince(minute);
    }

    /** The over-dispersion: variance = m + phi m^2. */
    public double phi() {
        return dispersion.phi();
    }

    /** What a saved state must match to be restored: see {@link DetectorStateCodec#key}. */
    public static String stateKey(DetectorSettings settings, int bucketMinutes) {
        return DetectorStateCodec.key(settings, bucketMinutes);
    }

    /** Everything this detector learned, deflated: {@link #restore} gives a detector that goes on exactly as this one would. */
    public byte[] state() {
        return DetectorStateCodec.encode(this);
    }

    /** A detector that goes on where the one that saved {@code state} stopped; null when it cannot (see {@link DetectorStateCodec#decode}). */
    public static Detector restore(DetectorSettings settings, int bucketMinutes, byte[] state) {
        return DetectorStateCodec.decode(settings, bucketMinutes, state);
    }
}
