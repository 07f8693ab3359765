package org.downwatch.detect;

import static org.downwatch.detect.Tuning.CV_PRIOR;
import static org.downwatch.detect.Tuning.CV_PRIOR_SLOTS;
import static org.downwatch.detect.Tuning.DAY;
import static org.downwatch.detect.Tuning.LEVEL_SHRINK;
import static org.downwatch.detect.Tuning.MIN_HISTORY_REPORTS;
import static org.downwatch.detect.Tuning.NEIGHBOURS;
import static org.downwatch.detect.Tuning.POOL_TRIM;
import static org.downwatch.detect.Tuning.SHORT_SHRINK;
import static org.downwatch.detect.Tuning.SHORT_TAU;
import static org.downwatch.detect.Tuning.SLOT;
import static org.downwatch.detect.Tuning.WEEK;

import java.util.Arrays;

/**
 * A service's usual rate. Counts are kept per 15-minute slot of the last {@code weeks} weeks (a ring, about
 * 27 KB per service), winsorised and without the minutes the detector flagged (it decides what is learned).
 * The seasonal rate of a slot, averaged over it and {@code NEIGHBOURS} slots on each side (75 minutes), is:
 * <ul>
 * <li>with two weeks or more: the mean of that slot of the past weeks, shrunk towards the same 75 minutes of
 * the day pooled over all the kept days (see {@link #towardsPooled});</li>
 * <li>with one week: half that, half the time-of-day rate below;</li>
 * <li>with two to six days: the same 75 minutes of the past 7 days (from five days on, the lowest and highest dropped);</li>
 * <li>otherwise a global rate (a mean, then an exponential average over a day).</li>
 * </ul>
 * It is multiplied by a slow level factor that follows trends (observed over expected over about a day,
 * within [0.5, 2]) and, for the live expectation, by the short-term level (see {@link #shortLevel}).
 */
final class Baseline {

    private final int weeks;
    private final int minHistoryMinutes;
    private final int bucket;
    final int ring;
    final float[] sum;
    final short[] mins;
    /** The expected rate per minute of each slot as it was last evaluated, for the charts. */
    final float[] expectedRate;
    /** One bit per slot of the ring: some minute of it was at {@code problem}. */
    final long[] flaggedSlots;
    final double[] dayOfWeekRate = new double[7];
    private final double[] pooledRates;
    private final double shortDecay;

    long slot = Long.MIN_VALUE;
    double seasonal;
    boolean seasonalFromHistory;
    long historyMinutes;
    double historyReports;
    double globalRate;
    double levelObs;
    double levelExp;
    double shortObs;
    double shortExp;
    double cvNum;
    double cvN;
    long dayOfWeekRateDay = Long.MIN_VALUE;

    Baseline(DetectorSettings settings, int bucketMinutes) {
        this.weeks = settings.weeks();
        this.minHistoryMinutes = settings.minHistoryMinutes();
        this.bucket = bucketMinutes;
        this.ring = weeks * WEEK;
        this.sum = new float[ring];
        this.mins = new short[ring];
        this.expectedRate = new float[ring];
        Arrays.fill(expectedRate, Float.NaN);
        this.flaggedSlots = new long[(ring + 63) / 64];
        this.pooledRates = new double[weeks * 7];
        this.shortDecay = Math.exp(-bucketMinutes / SHORT_TAU);
    }

    /** Moves to the slot {@code next}: the slots skipped since are emptied, the seasonal rate computed. */
    void enterSlot(long next) {
        if (slot != Long.MIN_VALUE) {
            for (long a = Math.max(slot + 1, next - ring + 1); a <= next; a++) {
                int i = index(a);
                sum[i] = 0;
                mins[i] = 0;
                flaggedSlots[i >> 6] &= ~(1L << i);
                expectedRate[i] = Float.NaN;
            }
        }
        slot = next;
        computeSeasonal();
    }

    /** Whether there is enough history: {@code minHistoryMinutes} and 50 reports. */
    boolean trusted() {
        return historyMinutes >= minHistoryMinutes && historyReports >= MIN_HISTORY_REPORTS;
    }

    /** Expected reports per minute for the current slot, before the short-term level. */
    double baseRate() {
        double r = seasonal;
        if (seasonalFromHistory) {
            double level = (levelObs + LEVEL_SHRINK) / (levelExp + LEVEL_SHRINK);
            r *= Math.max(0.5, Math.min(2, level));
        }
        return Math.max(r, Math.max(0.001, 0.02 * globalRate));
    }

    /**
     * The short-term level, shrunk to 1 by {@code SHORT_SHRINK} expected reports, within [1, 2]: it only
     * raises the expectation. A quiet hour does not say the next one is as quiet, and a quiet stretch that
     * ends at once (a holiday's midnight) is not an outage.
     */
    double shortLevel() {
        if (!seasonalFromHistory) {
            return 1;
        }
        return Math.max(1, Math.min(2, (shortObs + SHORT_SHRINK) / (shortExp + SHORT_SHRINK)));
    }

    /**
     * The short-term level learns a bucket's (clipped) count against its expectation before the level
     * (exponential average over about an hour); the detector picks the bucket and when.
     */
    void learnShort(int count, double expected, double base, double phi) {
        shortObs = shortDecay * shortObs + Math.min(count, Dispersion.clip(expected, phi));
        shortExp = shortDecay * shortExp + base;
    }

    /**
     * Learns a bucket of the current slot ({@code count}, already winsorised). Answers whether it was
     * learned against a seasonal rate (then its residual counts towards the dispersion).
     */
    boolean learn(double count) {
        if (!learnSlot(count)) {
            return false;
        }
        double a = Math.max(bucket / 1440.0, bucket / (double) historyMinutes);
        globalRate += a * (count / bucket - globalRate);
        if (seasonalFromHistory) {
            double d = 1 - bucket / 1440.0;
            levelObs = d * levelObs + count;
            levelExp = d * levelExp + seasonal * bucket;
            return true;
        }
        return false;
    }

    /**
     * Learns a bucket of the current slot into the ring only (the history of the seasonal rates of later
     * days and weeks), not into the slow level: what a flagged bucket may teach. Answers false for the
     * silence before a service's first report.
     */
    boolean learnSlot(double count) {
        if (historyReports == 0 && count == 0) {
            return false; // a service's history starts with its first report: silence before it says nothing
        }
        int i = index(slot);
        sum[i] += (float) count;
        mins[i] += (short) bucket;
        historyMinutes += bucket;
        historyReports += count;
        return true;
    }

    /** Keeps the current slot's expected rate for the charts. */
    void setExpectedRate(double rate) {
        expectedRate[index(slot)] = (float) rate;
    }

    /**
     * The expected reports per minute at {@code minute} as the detector saw it (NaN when unknown:
     * older than the kept history, not fed, or beyond the current slot).
     */
    double expectedRate(long minute) {
        long a = Math.floorDiv(minute, SLOT);
        if (slot == Long.MIN_VALUE || a > slot || a <= slot - ring) {
            return Double.NaN;
        }
        return expectedRate[index(a)];
    }

    void flagCurrentSlot() {
        int i = index(slot);
        flaggedSlots[i >> 6] |= 1L << i;
    }

    /**
     * Whether the current slot was at {@code problem} a day or a week ago as well: what comes back at the
     * same time is the service's usual shape (a weekend busier than the weekdays in the evening), not an
     * outage, and is learned (winsorised) although it is flagged; otherwise it would be flagged every week.
     */
    boolean recurring() {
        return flagged(slot - DAY) || flagged(slot - WEEK);
    }

    private boolean flagged(long absoluteSlot) {
        if (absoluteSlot <= slot - ring) {
            return false;
        }
        int i = index(absoluteSlot);
        return (flaggedSlots[i >> 6] & (1L << i)) != 0;
    }

    private void computeSeasonal() {
        double[] weekly = new double[weeks];
        int nw = 0;
        for (int w = 1; w <= weeks; w++) {
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

    private int index(long absoluteSlot) {
        return (int) Math.floorMod(absoluteSlot, (long) ring);
    }
}
