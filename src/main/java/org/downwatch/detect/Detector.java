package org.downwatch.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The outage detector for one series of counts (one service), fed bucket by bucket in time order.
 * Plain Java, no framework: the live detector keeps one per service in memory and the backtest runs
 * a fresh one over the posted series, so both run exactly this code. It is causal: the verdict for a
 * bucket depends only on the buckets fed before it and on itself.
 *
 * <h2>Baseline</h2>
 * Counts are kept per 15-minute slot of the last {@code weeks} weeks (a ring, about 27 KB per service),
 * winsorised (a count above the baseline's noise is clipped before it is learned) and without the
 * minutes the detector flagged, so that a past outage does not raise the baseline; a slot flagged again
 * a day or a week after it was flagged is learned all the same (winsorised): what comes back at the same
 * time is the service's shape, not an outage (see {@link #recurring()}). The usual rate of a
 * slot is:
 * <ul>
 * <li>with two weeks or more: the mean, over past weeks, of
 * the same slot of the week and its neighbours (75 minutes), shrunk towards the same 75 minutes of the
 * day pooled over all the kept days (each rescaled by its day of the week's rate) as far as the weeks'
 * disagreement with it is no more than noise (see {@link #towardsPooled}): three or four weeks are few
 * to average out a busy afternoon, 28 days are more, and a weekend shaped unlike the weekdays keeps its
 * shape;</li>
 * <li>with one week: half that, half the time-of-day estimate below;</li>
 * <li>with two to six days: the same 75 minutes of the day over the past 7 days (from five days on, the lowest and highest dropped);</li>
 * <li>otherwise a global rate (a mean, then an exponential average over a day).</li>
 * </ul>
 * The seasonal rate is averaged over the slot and two neighbours on each side (75 minutes) and
 * multiplied by two level factors:
 * <ul>
 * <li>a slow one that follows trends: the ratio, over about the last day, of the (clipped, unflagged)
 * observed counts to the seasonal rate, shrunk to 1 by 10 reports and kept within [0.5, 2];</li>
 * <li>a short-term one that follows a busy afternoon (traffic drifts for hours around its weekly
 * profile): the same ratio over about an hour (time constant {@code SHORT_TAU}), learned from buckets
 * {@code SHORT_DELAY} minutes old so that an outage is flagged before it is learned, frozen while
 * the level is {@code problem}, shrunk to 1 by 40 expected reports and kept within [1, 2].</li>
 * </ul>
 *
 * <h2>Noise</h2>
 * Counts are negative binomial with variance {@code m + phi m^2}; {@code phi} is estimated by moments
 * from the residuals of the 15-minute slots over about a week (prior 0.05, at least {@code PHI_MIN}, 0.01). It
 * includes the baseline's own estimation error, as residuals are taken against the predicted rate.
 *
 * <h2>Detection</h2>
 * Every bucket, the counts of several sliding windows (3, 5, 10, 15, 30 and 60 minutes by default) are
 * tested against their expected sum: p = P(X >= x); windows of {@code FROZEN_WINDOW} (60) minutes or more
 * take the expected sum at the short-term level of their first bucket, count only while they expect
 * at most 60 reports (quiet services) and need {@code floorProblem} (20) reports for {@code problem}. A window's score is ln p / ln alpha, capped at 1;
 * the bucket's score is the highest. {@code problem} at score 1 (p below alpha in some window),
 * {@code possible} from {@code possibleScore}; once at {@code problem}, the level stays there while
 * the score stays at least {@code possibleScore}. A window with fewer than {@code minPossible} reports
 * cannot raise any level, one with fewer than {@code minProblem} cannot reach {@code problem}: one
 * person (counted once) never raises a level. With less than {@code minHistoryMinutes} of history or
 * fewer than 50 reports ever, the documented floor applies instead: {@code floorProblem} reports in 15
 * minutes is a {@code problem}. A young service (from {@code YOUNG_AFTER} minutes and 50 reports, until
 * the baseline is trusted) is tested besides, in its windows shorter than an hour, against what it has
 * been doing lately (see {@link #youngRate}), and its flagged minutes are no longer learned as they come: a
 * service a few days old catches a ×10 outage, where the floor alone took ×13 and learned the outage as it
 * grew. A problem that lasts more than 12 hours is learned from again
 * (winsorised), so that a lasting change of volume becomes the new normal.
 * The onset is a change-point estimate over the last 90 minutes (see {@link #onset(long)}).
 *
 * <h2>State</h2>
 * {@link #state()} gives everything a detector learned as bytes, and {@link #restore} a detector that goes on
 * exactly as the saved one would have (same verdicts, bit for bit), under the same settings only.
 */
public final class Detector {

    static final int SLOT = 15;
    static final int WEEK = 7 * 24 * 60 / SLOT;
    static final int DAY = 24 * 60 / SLOT;
    private static final double PHI_PRIOR = 0.05;
    /**
     * The least over-dispersion a trusted service's counts are given (a spread of 10 % beyond Poisson). Report
     * counts are rarely exactly Poisson, and without it a busy service whose counts looked so flagged one-minute
     * bursts (a minute with three times its usual volume added, then nothing): on the bench's series without
     * drift, 53 of 111 false alarms (docs/benchmarks.md, session 11).
     */
    static final double PHI_MIN = 0.01;
    private static final double PHI_PRIOR_SLOTS = 24;
    private static final double LEVEL_SHRINK = 10;
    private static final double UNTRUSTED_PHI = 1;
    /** Slots on each side of a slot averaged into its seasonal rate (2: 75 minutes). */
    static final int NEIGHBOURS = 2;
    /** The short-term level: time constant of its exponential average (minutes). */
    static final double SHORT_TAU = 60;
    /** The short-term level learns from buckets this old (minutes), so that an outage is flagged before it is learned. */
    static final int SHORT_DELAY = 30;
    /** The short-term level is shrunk towards 1 by this many expected reports. */
    static final double SHORT_SHRINK = 40;
    /** Reports needed (besides {@code minHistoryMinutes}) before the baseline is trusted. */
    static final int MIN_HISTORY_REPORTS = 50;
    /** Share of the pooled time-of-day rates trimmed off each end (holidays, past outages' edges). */
    static final double POOL_TRIM = 0.1;
    /** Prior of the squared relative spread of a slot's rate between weeks beyond Poisson noise, and its weight in slots. */
    private static final double CV_PRIOR = 0.05;
    private static final double CV_PRIOR_SLOTS = 96;
    /** A problem that lasts this long is learned from again (winsorised): the new normal, not an outage. */
    static final int RELEARN_AFTER_MINUTES = 12 * 60;
    /** How far back the onset of an outage is looked for. */
    static final int ONSET_MINUTES = 90;
    /**
     * A young service: history (from its first report) after which, with 50 reports, it is tested against
     * its recent level as well as the floor, until the baseline is trusted.
     */
    static final int YOUNG_AFTER = 120;
    /** Time constant (minutes) of a young service's recent level, learned like the short-term level 30 minutes late. */
    static final double YOUNG_TAU = 60;
    /**
     * Over-dispersion of a young service's counts around its expectation: with less than two days of
     * history, the recent level alone (it lags a morning's rise); with two days, the time of day as well.
     * Tuned with {@code bench/detection/tune.py --young} to at most 0.1 false alarms per service-week under
     * both simulated noises (docs/benchmarks.md, session 10).
     */
    static final double YOUNG_PHI_RECENT_ONLY = 0.2;
    static final double YOUNG_PHI = 0.1;

    /** The verdict for one bucket, with the evidence of the last 15 minutes. */
    public record Verdict(long minute, int count, double expected, int upper, double score, String level, long onset,
            int observed, double windowExpected, int windowUpper, int windowMinutes) {

        public boolean problem() {
            return ServiceStatus.PROBLEM.equals(level);
        }
    }

    private final DetectorSettings settings;
    private final int bucket;
    private final double lnAlpha;
    private final int ring;
    private final float[] sum;
    private final short[] mins;
    private final float[] expectedRate;
    private final int[] windowRows;
    private final int rows15;

    private final long[] recentMinute;
    private final int[] recentCount;
    private final double[] recentExpected;
    private final double[] recentBase;
    private final boolean[] recentFlagged;
    private final int shortDelayRows;
    private final double shortDecay;
    private int recentHead;
    private int recentSize;

    private long slot = Long.MIN_VALUE;
    private long lastMinute = Long.MIN_VALUE;
    private double seasonal;
    private boolean seasonalFromHistory;
    private long historyMinutes;
    private double historyReports;
    private long flaggedMinutes;
    private double globalRate;
    private double levelObs;
    private double levelExp;
    private double shortObs;
    private double shortExp;
    private double dispNum;
    private double dispDen;
    private double dispN;
    private double slotObs;
    private double slotExp;
    private double youngObs;
    private double youngMinutes;
    private final double youngDecay;
    private String level = ServiceStatus.NONE;
    private long since = -1;
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
    /** One bit per slot of the ring: some minute of it was at {@code problem}. */
    private final long[] flaggedSlots;
    private final double[] dayOfWeekRate = new double[7];
    private long dayOfWeekRateDay = Long.MIN_VALUE;
    private final double[] pooledRates;
    private double cvNum;
    private double cvN;

    /** A detector for buckets of {@code bucketMinutes} (1 to 60). */
    public Detector(DetectorSettings settings, int bucketMinutes) {
        if (bucketMinutes < 1 || bucketMinutes > 60) {
            throw new IllegalArgumentException("bucket must be 1 to 60 minutes");
        }
        this.settings = settings;
        this.bucket = bucketMinutes;
        this.lnAlpha = Math.log(settings.problemAlpha());
        this.ring = settings.weeks() * WEEK;
        this.sum = new float[ring];
        this.mins = new short[ring];
        this.expectedRate = new float[ring];
        Arrays.fill(expectedRate, Float.NaN);
        this.windowRows = Arrays.stream(settings.windows()).map(w -> Math.max(1, (w + bucketMinutes - 1) / bucketMinutes))
                .distinct().sorted().toArray();
        this.rows15 = Math.max(1, (15 + bucketMinutes - 1) / bucketMinutes);
        int keep = Math.max(Math.max(windowRows[windowRows.length - 1], rows15), (ONSET_MINUTES + bucketMinutes - 1) / bucketMinutes);
        this.recentMinute = new long[keep];
        this.recentCount = new int[keep];
        this.recentExpected = new double[keep];
        this.recentBase = new double[keep];
        this.recentFlagged = new boolean[keep];
        this.shortDelayRows = (SHORT_DELAY + bucketMinutes - 1) / bucketMinutes;
        this.shortDecay = Math.exp(-bucketMinutes / SHORT_TAU);
        this.youngDecay = Math.exp(-bucketMinutes / YOUNG_TAU);
        this.pooledRates = new double[settings.weeks() * 7];
        this.flaggedSlots = new long[(ring + 63) / 64];
    }

    public int bucketMinutes() {
        return bucket;
    }

    /** The last minute fed, or {@code Long.MIN_VALUE}. */
    public long lastMinute() {
        return lastMinute;
    }

    public String level() {
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
        if (s != slot) {
            enterSlot(s);
        }
        boolean trusted = trusted();
        boolean young = !trusted && young();
        double phi = phi();
        double base = baseRate();
        double rate = young ? youngRate(base) : base * shortLevel();
        expectedRate[index(slot)] = (float) rate;
        double rowExpected = rate * bucket;
        push(minute, count, rowExpected, base * bucket);

        // one pass back over the recent buckets, the windows from the shortest: each is scored once the
        // next bucket is outside it
        double score = 0;
        int x = 0;
        double e = 0;
        double eBase = 0;
        int first = -1;
        for (int w = 0, i = 0; w < windowRows.length;) {
            long span = (long) windowRows[w] * bucket;
            if (i < recentSize) {
                int j = Math.floorMod(recentHead - 1 - i, recentMinute.length);
                if (minute - recentMinute[j] < span) {
                    x += recentCount[j];
                    e += recentExpected[j];
                    eBase += recentBase[j];
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
                if (first >= 0 && recentBase[first] > 0) {
                    expected = eBase * (recentExpected[first] / recentBase[first]);
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
        int observed = 0;
        double windowExpected = 0;
        for (int i = 0; i < recentSize; i++) {
            int j = Math.floorMod(recentHead - 1 - i, recentMinute.length);
            if (minute - recentMinute[j] >= (long) rows15 * bucket) {
                break;
            }
            observed += recentCount[j];
            windowExpected += recentExpected[j];
        }

        String next = score >= 1 ? ServiceStatus.PROBLEM
                : score >= settings.possibleScore() ? ServiceStatus.POSSIBLE : ServiceStatus.NONE;
        if (ServiceStatus.PROBLEM.equals(level) && ServiceStatus.POSSIBLE.equals(next)) {
            next = ServiceStatus.PROBLEM; // a problem lasts while the evidence stays at least possible
        }
        if (ServiceStatus.NONE.equals(next)) {
            since = -1;
        } else if (ServiceStatus.NONE.equals(level)) {
            since = onset(minute);
        }
        level = next;
        boolean problem = ServiceStatus.PROBLEM.equals(level);
        recentFlagged[Math.floorMod(recentHead - 1, recentMinute.length)] = problem;
        if (problem) {
            int i = index(slot);
            flaggedSlots[i >> 6] |= 1L << i;
        }
        if (!problem) {
            learnShortLevel(minute, phi);
        }

        flaggedMinutes = ServiceStatus.NONE.equals(level) ? 0 : flaggedMinutes + bucket;
        if (young && problem && flaggedMinutes <= RELEARN_AFTER_MINUTES) {
            learn(Math.min(count, clip(rowExpected, youngPhi())), rowExpected); // a young service's outage is not its usual volume
        } else if (!trusted) {
            learn(count, rowExpected); // no baseline yet: learn everything, the floor protects
        } else if (ServiceStatus.NONE.equals(level) || flaggedMinutes > RELEARN_AFTER_MINUTES || recurring()) {
            learn(Math.min(count, clip(rowExpected, phi)), rowExpected);
        }
        learnYoungLevel(minute, trusted);
        return new Verdict(minute, count, rowExpected, bounds ? upperFor(rowExpected, trusted, young, phi) : -1, score, level,
                since, observed, windowExpected, bounds ? upperFor(windowExpected, trusted, young, phi) : -1, rows15 * bucket);
    }

    /** A window's score in [0, 1]: {@code x} reports in {@code rows} buckets where {@code e} were expected. */
    private double windowScore(int rows, int x, double e, boolean trusted, double phi) {
        double sw;
        if (x < settings.minPossible()) {
            sw = 0; // too few people to say anything: no need to compute
        } else if (trusted) {
            sw = Math.min(1, Counts.lnUpperTail(x, e, phi) / lnAlpha);
        } else if (rows == rows15) {
            // the floor, and (once a little history exists) well above it, with a wide noise
            sw = Math.min(Math.min(1, x / (double) settings.floorProblem()),
                    Math.min(1, Counts.lnUpperTail(x, e, UNTRUSTED_PHI) / lnAlpha));
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
            return Math.max(settings.floorProblem() - 1, Counts.upper(expected, youngPhi(), lnAlpha));
        }
        if (!trusted) {
            return Math.max(settings.floorProblem() - 1, Counts.upper(expected, UNTRUSTED_PHI, lnAlpha));
        }
        return Math.max(settings.minProblem() - 1, Counts.upper(expected, phi, lnAlpha));
    }

    /** The count of a bucket or window with this expected count above which it is anomalous. */
    public int upper(double expected) {
        boolean trusted = trusted();
        return upperFor(expected, trusted, !trusted && young(), phi());
    }

    /**
     * Whether the service is young: not trusted yet, but {@code YOUNG_AFTER} minutes and 50 reports into its
     * history, and its recent level has half an hour behind it.
     */
    private boolean young() {
        return historyMinutes >= YOUNG_AFTER && historyReports >= MIN_HISTORY_REPORTS && youngMinutes >= 30;
    }

    private double youngPhi() {
        return seasonalFromHistory ? YOUNG_PHI : YOUNG_PHI_RECENT_ONLY;
    }

    /**
     * A young service's expected rate: its recent level (the mean count of the last hour or so, learned 30
     * minutes late from buckets that were not a {@code problem}), and from two days of history the usual
     * rate at this time of day if that is higher (it knows the morning's rise that the recent level lags).
     */
    private double youngRate(double base) {
        double recent = youngObs / youngMinutes;
        return seasonalFromHistory ? Math.max(base, recent) : recent;
    }

    /**
     * A young service's window: {@code x} reports where {@code e} were expected, with the young noise; a
     * {@code problem} takes as many people as the floor.
     */
    private double youngScore(int x, double e) {
        if (x < settings.minPossible()) {
            return 0;
        }
        double sw = Math.min(1, Counts.lnUpperTail(x, e, youngPhi()) / lnAlpha);
        return gate(x < settings.floorProblem() ? Math.min(sw, 0.999) : sw, x);
    }

    /**
     * The young service's recent level learns the bucket {@code SHORT_DELAY} minutes old, unless it was a
     * problem; from its first report until the baseline is trusted (then it is never used again).
     */
    private void learnYoungLevel(long minute, boolean trusted) {
        int j = trusted || historyReports == 0 ? -1 : delayedRow(minute);
        if (j < 0) {
            return;
        }
        youngObs = youngDecay * youngObs + recentCount[j];
        youngMinutes = youngDecay * youngMinutes + bucket;
    }

    /**
     * The recent bucket {@code SHORT_DELAY} minutes old, which the levels learn late so that an outage is
     * flagged before it is learned; -1 when there is none, or it was a {@code problem}.
     */
    private int delayedRow(long minute) {
        if (recentSize <= shortDelayRows) {
            return -1;
        }
        int j = Math.floorMod(recentHead - 1 - shortDelayRows, recentMinute.length);
        return recentFlagged[j] || minute - recentMinute[j] > SHORT_DELAY + 2L * bucket ? -1 : j;
    }

    /** Whether the baseline has enough history: {@code minHistoryMinutes} and 50 reports. */
    private boolean trusted() {
        return historyMinutes >= settings.minHistoryMinutes() && historyReports >= MIN_HISTORY_REPORTS;
    }

    /**
     * The expected reports per minute at {@code minute} as the detector saw it (NaN when unknown:
     * older than the kept history, not fed, or beyond the current slot).
     */
    public double expectedRate(long minute) {
        long a = Math.floorDiv(minute, SLOT);
        if (slot == Long.MIN_VALUE || a > slot || a <= slot - ring) {
            return Double.NaN;
        }
        return expectedRate[index(a)];
    }

    /** Reports in the buckets fed from {@code minute} on, as far as the recent buckets go back (30 minutes). */
    public int countSince(long minute) {
        int n = 0;
        for (int i = 0; i < recentSize; i++) {
            int j = Math.floorMod(recentHead - 1 - i, recentMinute.length);
            if (recentMinute[j] < minute) {
                break;
            }
            n += recentCount[j];
        }
        return n;
    }

    /**
     * The estimated onset: the maximum-likelihood change point over the last 90 minutes, the rate jumping
     * by a factor k fitted to each candidate (the generalised likelihood ratio): the bucket s maximising
     * x ln k - (k - 1) e, where x and e are the counts and expected counts from s to now and k = x / e (at
     * least 2). Fitting k to the candidate keeps a noisy minute before a big jump out of it (a k fixed from the
     * last 15 minutes, which are mostly before the jump when it is caught early, let one put the onset up to
     * 20 minutes early); on a ramp it gives a minute or a few into it. One report above a tiny baseline before the
     * outage does not move it.
     */
    private long onset(long minute) {
        long best = minute;
        double max = Double.NEGATIVE_INFINITY;
        double x = 0;
        double e = 0;
        for (int i = 0; i < recentSize; i++) {
            int j = Math.floorMod(recentHead - 1 - i, recentMinute.length);
            x += recentCount[j];
            e += recentExpected[j];
            double k = Math.max(2, x / Math.max(e, 1e-9));
            double llr = x * Math.log(k) - (k - 1) * e;
            if (llr > max && recentCount[j] > recentExpected[j]) {
                max = llr;
                best = recentMinute[j];
            }
        }
        return best;
    }

    /**
     * The short-term level follows what the weekly profile cannot know (a busy afternoon): the ratio of
     * observed to expected counts over about the last hour, learned from the bucket {@code SHORT_DELAY}
     * minutes old if it was not a {@code problem} (clipped like the baseline), and only while the level
     * is not {@code problem}: an outage is flagged before it can be learned, and the level is frozen
     * while it lasts. A {@code possible} does not freeze it: a busy afternoon often looks possible at
     * first, and must be followed.
     */
    private void learnShortLevel(long minute, double phi) {
        int j = seasonalFromHistory ? delayedRow(minute) : -1;
        if (j < 0) {
            return;
        }
        shortObs = shortDecay * shortObs + Math.min(recentCount[j], clip(recentExpected[j], phi));
        shortExp = shortDecay * shortExp + recentBase[j];
    }

    /**
     * The short-term level, shrunk to 1 by {@code SHORT_SHRINK} expected reports, within [1, 2]: it only
     * raises the expectation. A quiet hour does not say the next one is as quiet, and a quiet stretch that
     * ends at once (a holiday's midnight) is not an outage; with a floor at 0.5 those were a third of the
     * false alarms on the bench.
     */
    private double shortLevel() {
        if (!seasonalFromHistory) {
            return 1;
        }
        return Math.max(1, Math.min(2, (shortObs + SHORT_SHRINK) / (shortExp + SHORT_SHRINK)));
    }

    /**
     * Whether the current slot was at {@code problem} a day or a week ago as well: what comes back at the
     * same time is the service's usual shape (a weekend busier than the weekdays in the evening, first seen
     * once the baseline was trusted), not an outage, and is learned (winsorised) although it is flagged;
     * otherwise it would be flagged every week.
     */
    private boolean recurring() {
        return flagged(slot - DAY) || flagged(slot - WEEK);
    }

    private boolean flagged(long absoluteSlot) {
        if (absoluteSlot <= slot - ring) {
            return false;
        }
        int i = index(absoluteSlot);
        return (flaggedSlots[i >> 6] & (1L << i)) != 0;
    }

    /** What is learned of a count with this expectation at most (winsorising): three standard deviations above it, plus 2. */
    private static double clip(double expected, double phi) {
        return expected + 3 * Math.sqrt(expected * (1 + phi * expected)) + 2;
    }

    private void push(long minute, int count, double expected, double base) {
        recentMinute[recentHead] = minute;
        recentCount[recentHead] = count;
        recentExpected[recentHead] = expected;
        recentBase[recentHead] = base;
        recentHead = (recentHead + 1) % recentMinute.length;
        recentSize = Math.min(recentSize + 1, recentMinute.length);
    }

    private void learn(double count, double rowExpected) {
        if (historyReports == 0 && count == 0) {
            return; // a service's history starts with its first report: silence before it says nothing
        }
        int i = index(slot);
        sum[i] += (float) count;
        mins[i] += (short) bucket;
        historyMinutes += bucket;
        historyReports += count;
        double a = Math.max(bucket / 1440.0, bucket / (double) historyMinutes);
        globalRate += a * (count / bucket - globalRate);
        if (seasonalFromHistory) {
            double d = 1 - bucket / 1440.0;
            levelObs = d * levelObs + count;
            levelExp = d * levelExp + seasonal * bucket;
            slotObs += count;
            slotExp += rowExpected;
        }
    }

    private void enterSlot(long next) {
        if (slot != Long.MIN_VALUE) {
            if (slotExp > 0) {
                double d = 1 - 1.0 / WEEK;
                dispNum = d * dispNum + (slotObs - slotExp) * (slotObs - slotExp) - slotObs;
                dispDen = d * dispDen + slotExp * slotExp;
                dispN = d * dispN + 1;
            }
            for (long a = Math.max(slot + 1, next - ring + 1); a <= next; a++) {
                int i = index(a);
                sum[i] = 0;
                mins[i] = 0;
                flaggedSlots[i >> 6] &= ~(1L << i);
                expectedRate[i] = Float.NaN;
            }
        }
        slotObs = 0;
        slotExp = 0;
        slot = next;
        computeSeasonal();
    }

    private void computeSeasonal() {
        double[] weekly = new double[settings.weeks()];
        int nw = 0;
        for (int w = 1; w <= settings.weeks(); w++) {
            double r = neighbourhoodRate(slot - (long) w * WEEK);
            if (!Double.isNaN(r)) {
                weekly[nw++] = r;
            }
        }
        double[] daily = new double[7];
        int nd = 0;
        for (int d = 1; d <= 7; d++) {
            double r = neighbourhoodRate(slot - (long) d * DAY);
            if (!Double.isNaN(r)) {
                daily[nd++] = r;
            }
        }
        seasonalFromHistory = true;
        if (nw >= 2) {
            seasonal = trimmedMean(weekly, nw);
            double pooled = pooledRate();
            if (!Double.isNaN(pooled)) {
                seasonal = towardsPooled(seasonal, weekly, nw, pooled);
            }
        } else if (nw == 1 && nd >= 2) {
            seasonal = 0.5 * weekly[0] + 0.5 * trimmedMean(daily, nd);
        } else if (nd >= 2) {
            seasonal = trimmedMean(daily, nd);
        } else {
            seasonalFromHistory = false;
            seasonal = globalRate;
        }
    }

    /**
     * The mean {@code wk} of the same slot of {@code nw} past weeks, shrunk towards the time-of-day rate
     * pooled over all past days by how far apart they are against how far the weekly mean can be off by
     * chance (empirical Bayes): weight {@code v / (v + b)} on the pooled rate, where {@code v} is the
     * weekly mean's variance (Poisson, plus the service's usual spread between weeks beyond it, learned
     * over all slots) and {@code b} what the squared difference shows beyond {@code v}. Where the weeks
     * agree on a shape of their own (a weekend unlike the weekdays), it is kept; where they differ by no
     * more than noise (a busy afternoon three weeks ago), the pooled rate, resting on seven times as many
     * days, wins.
     */
    private double towardsPooled(double wk, double[] weekly, int nw, double pooled) {
        double s2 = 0;
        for (int i = 0; i < nw; i++) {
            s2 += (weekly[i] - wk) * (weekly[i] - wk);
        }
        double minutes = (2 * NEIGHBOURS + 1) * SLOT;
        if (wk > 0) {
            double d = 1 - 1.0 / WEEK;
            cvNum = d * cvNum + (s2 / (nw - 1) - wk / minutes) / (wk * wk);
            cvN = d * cvN + 1;
        }
        double cv2 = Math.max(0, (cvNum + CV_PRIOR * CV_PRIOR_SLOTS) / (cvN + CV_PRIOR_SLOTS));
        double v = (Math.max(wk, pooled) / minutes + cv2 * wk * wk) / nw;
        double b = Math.max(0, (wk - pooled) * (wk - pooled) - v);
        return v + b > 0 ? wk + v / (v + b) * (pooled - wk) : wk;
    }

    /**
     * The rate at this time of day over all the kept past days (the slot and its neighbours, 75 minutes),
     * each rescaled by the ratio of today's day-of-week rate to its own, with the top and bottom 10 %
     * trimmed; NaN with fewer than five such days or without a week of history for this day of the week.
     */
    private double pooledRate() {
        long day = Math.floorDiv(slot, DAY);
        if (day != dayOfWeekRateDay) {
            dayOfWeekRateDay = day;
            double[] s = new double[7];
            double[] m = new double[7];
            for (long a = slot - ring + 1; a < slot; a++) {
                int i = index(a);
                int dow = (int) Math.floorMod(Math.floorDiv(a, DAY), 7L);
                s[dow] += sum[i];
                m[dow] += mins[i];
            }
            for (int d = 0; d < 7; d++) {
                dayOfWeekRate[d] = m[d] >= 600 && s[d] > 0 ? s[d] / m[d] : Double.NaN;
            }
        }
        double today = dayOfWeekRate[(int) Math.floorMod(day, 7L)];
        if (Double.isNaN(today)) {
            return Double.NaN;
        }
        int n = 0;
        for (int d = 1; d <= pooledRates.length; d++) {
            double other = dayOfWeekRate[(int) Math.floorMod(day - d, 7L)];
            double r = neighbourhoodRate(slot - (long) d * DAY);
            if (!Double.isNaN(other) && !Double.isNaN(r)) {
                pooledRates[n++] = r * today / other;
            }
        }
        if (n < 5) {
            return Double.NaN;
        }
        Arrays.sort(pooledRates, 0, n);
        int cut = (int) (n * POOL_TRIM);
        double t = 0;
        for (int i = cut; i < n - cut; i++) {
            t += pooledRates[i];
        }
        return t / (n - 2 * cut);
    }

    /** Mean rate per minute over the slot and {@code NEIGHBOURS} on each side, NaN with less than 10 minutes of data. */
    private double neighbourhoodRate(long centre) {
        double s = 0;
        int m = 0;
        for (long a = centre - NEIGHBOURS; a <= centre + NEIGHBOURS; a++) {
            if (a <= slot - ring || a >= slot) {
                continue;
            }
            int i = index(a);
            s += sum[i];
            m += mins[i];
        }
        return m >= 10 ? s / m : Double.NaN;
    }

    private static double trimmedMean(double[] v, int n) {
        Arrays.sort(v, 0, n);
        int from = n >= 5 ? 1 : 0;
        int to = n >= 5 ? n - 1 : n;
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }

    /** Expected reports per minute for the current slot, before the short-term level. */
    private double baseRate() {
        double r = seasonal;
        if (seasonalFromHistory) {
            double level = (levelObs + LEVEL_SHRINK) / (levelExp + LEVEL_SHRINK);
            r *= Math.max(0.5, Math.min(2, level));
        }
        return Math.max(r, Math.max(0.001, 0.02 * globalRate));
    }

    /**
     * Version of what {@link #state()} holds and of how it is learned: bump it when the learning changes
     * (what goes into the ring, the levels, the dispersion), so that a snapshot of the old code is replayed
     * rather than restored.
     */
    static final int STATE_VERSION = 3;

    /**
     * What a saved state must match to be restored: the state's version, the bucket and every setting
     * (a different alpha flags, hence learns, other minutes).
     */
    public static String stateKey(DetectorSettings settings, int bucketMinutes) {
        return "v" + STATE_VERSION + ";bucket=" + bucketMinutes + ";windows=" + Arrays.toString(settings.windows())
                + ";alpha=" + settings.problemAlpha() + ";possible=" + settings.possibleScore() + ";min="
                + settings.minPossible() + "/" + settings.minProblem() + ";floor=" + settings.floorProblem() + ";history="
                + settings.minHistoryMinutes() + ";weeks=" + settings.weeks();
    }

    /**
     * Everything this detector learned, deflated (tens of bytes for a quiet service's empty weeks, about
     * 30 KB at most): {@link #restore} gives a detector that goes on exactly as this one would. The live
     * detector saves it so that a restart, or another instance taking over, does not replay weeks of
     * history.
     */
    public byte[] state() {
        byte[] key = stateKey(settings, bucket).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + key.length + stateSize());
        b.putInt(key.length).put(key);
        b.putLong(slot).putLong(lastMinute).putDouble(seasonal).put((byte) (seasonalFromHistory ? 1 : 0));
        b.putLong(historyMinutes).putDouble(historyReports).putLong(flaggedMinutes).putDouble(globalRate);
        b.putDouble(levelObs).putDouble(levelExp).putDouble(shortObs).putDouble(shortExp);
        b.putDouble(dispNum).putDouble(dispDen).putDouble(dispN).putDouble(slotObs).putDouble(slotExp);
        b.put((byte) (ServiceStatus.PROBLEM.equals(level) ? 2 : ServiceStatus.POSSIBLE.equals(level) ? 1 : 0));
        b.putLong(since).putDouble(cvNum).putDouble(cvN).putLong(dayOfWeekRateDay).putDouble(youngObs).putDouble(youngMinutes);
        for (double r : dayOfWeekRate) {
            b.putDouble(r);
        }
        b.putInt(recentHead).putInt(recentSize);
        for (int i = 0; i < recentMinute.length; i++) {
            b.putLong(recentMinute[i]).putInt(recentCount[i]).putDouble(recentExpected[i]).putDouble(recentBase[i])
                    .put((byte) (recentFlagged[i] ? 1 : 0));
        }
        // the ring column by column, so that a quiet service's zeros deflate to nothing
        for (float v : sum) {
            b.putFloat(v);
        }
        for (short v : mins) {
            b.putShort(v);
        }
        for (float v : expectedRate) {
            b.putFloat(v);
        }
        for (long v : flaggedSlots) {
            b.putLong(v);
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(b.array(), 0, b.position());
            deflater.finish();
            byte[] out = new byte[b.position() + 64];
            int len = 4;
            ByteBuffer.wrap(out).putInt(b.position());
            while (!deflater.finished()) {
                if (len == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                len += deflater.deflate(out, len, out.length - len);
            }
            return Arrays.copyOf(out, len);
        } finally {
            deflater.end();
        }
    }

    /** Bytes of a state besides its key: the scalars (at most 300), the recent buckets and the ring. */
    private int stateSize() {
        return 300 + recentMinute.length * 29 + ring * 10 + flaggedSlots.length * 8;
    }

    /**
     * A detector that goes on where the one that saved {@code state} stopped; null when the state was saved
     * under other settings, another bucket or another {@link #STATE_VERSION}, or cannot be read.
     */
    public static Detector restore(DetectorSettings settings, int bucketMinutes, byte[] state) {
        Detector d = new Detector(settings, bucketMinutes);
        try {
            ByteBuffer head = ByteBuffer.wrap(state);
            int size = head.getInt();
            if (size < 0 || size > 4096 + d.stateSize()) {
                return null;
            }
            byte[] raw = new byte[size];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(state, 4, state.length - 4);
                if (inflater.inflate(raw) != size || !inflater.finished()) {
                    return null;
                }
            } finally {
                inflater.end();
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            if (!stateKey(settings, bucketMinutes).equals(new String(key, StandardCharsets.UTF_8))) {
                return null;
            }
            d.slot = b.getLong();
            d.lastMinute = b.getLong();
            d.seasonal = b.getDouble();
            d.seasonalFromHistory = b.get() == 1;
            d.historyMinutes = b.getLong();
            d.historyReports = b.getDouble();
            d.flaggedMinutes = b.getLong();
            d.globalRate = b.getDouble();
            d.levelObs = b.getDouble();
            d.levelExp = b.getDouble();
            d.shortObs = b.getDouble();
            d.shortExp = b.getDouble();
            d.dispNum = b.getDouble();
            d.dispDen = b.getDouble();
            d.dispN = b.getDouble();
            d.slotObs = b.getDouble();
            d.slotExp = b.getDouble();
            byte level = b.get();
            d.level = level == 2 ? ServiceStatus.PROBLEM : level == 1 ? ServiceStatus.POSSIBLE : ServiceStatus.NONE;
            d.since = b.getLong();
            d.cvNum = b.getDouble();
            d.cvN = b.getDouble();
            d.dayOfWeekRateDay = b.getLong();
            d.youngObs = b.getDouble();
            d.youngMinutes = b.getDouble();
            for (int i = 0; i < 7; i++) {
                d.dayOfWeekRate[i] = b.getDouble();
            }
            d.recentHead = b.getInt();
            d.recentSize = b.getInt();
            for (int i = 0; i < d.recentMinute.length; i++) {
                d.recentMinute[i] = b.getLong();
                d.recentCount[i] = b.getInt();
                d.recentExpected[i] = b.getDouble();
                d.recentBase[i] = b.getDouble();
                d.recentFlagged[i] = b.get() == 1;
            }
            for (int i = 0; i < d.ring; i++) {
                d.sum[i] = b.getFloat();
            }
            for (int i = 0; i < d.ring; i++) {
                d.mins[i] = b.getShort();
            }
            for (int i = 0; i < d.ring; i++) {
                d.expectedRate[i] = b.getFloat();
            }
            for (int i = 0; i < d.flaggedSlots.length; i++) {
                d.flaggedSlots[i] = b.getLong();
            }
            if (b.hasRemaining() || d.recentHead < 0 || d.recentHead >= d.recentMinute.length || d.recentSize < 0
                    || d.recentSize > d.recentMinute.length) {
                return null;
            }
            return d;
        } catch (DataFormatException | RuntimeException e) {
            return null; // truncated or not a state: replay instead
        }
    }

    /** The over-dispersion: variance = m + phi m^2. */
    public double phi() {
        if (dispN < 1e-9) {
            return PHI_PRIOR;
        }
        double prior = PHI_PRIOR_SLOTS * dispDen / dispN;
        return Math.max(PHI_MIN, Math.min(1, (dispNum + PHI_PRIOR * prior) / (dispDen + prior)));
    }

    private int index(long absoluteSlot) {
        return (int) Math.floorMod(absoluteSlot, (long) ring);
    }
}
