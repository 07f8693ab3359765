package org.downwatch.detect;

import static org.downwatch.detect.Tuning.SHORT_DELAY;

/**
 * The last buckets fed (a ring as long as the longest window, 15 minutes or the onset's 90 minutes): their
 * counts, expectations and whether they were a {@code problem}. Row {@code i} of {@link #row} is the
 * {@code i}-th newest.
 */
final class RecentBuckets {

    final long[] minute;
    final int[] count;
    final double[] expected;
    /** The expectation before the short-term level. */
    final double[] base;
    final boolean[] flagged;
    private final int bucket;
    private final int shortDelayRows;
    int head;
    int size;

    RecentBuckets(int rows, int bucketMinutes) {
        this.minute = new long[rows];
        this.count = new int[rows];
        this.expected = new double[rows];
        this.base = new double[rows];
        this.flagged = new boolean[rows];
        this.bucket = bucketMinutes;
        this.shortDelayRows = (SHORT_DELAY + bucketMinutes - 1) / bucketMinutes;
    }

    int capacity() {
        return minute.length;
    }

    /** The index of the {@code i}-th newest bucket (0: the last one pushed). */
    int row(int i) {
        return Math.floorMod(head - 1 - i, minute.length);
    }

    void push(long m, int n, double e, double b) {
        minute[head] = m;
        count[head] = n;
        expected[head] = e;
        base[head] = b;
        head = (head + 1) % minute.length;
        size = Math.min(size + 1, minute.length);
    }

    /** Marks the newest bucket as a {@code problem} or not. */
    void flagNewest(boolean problem) {
        flagged[row(0)] = problem;
    }

    /**
     * The bucket {@code SHORT_DELAY} minutes old, which the levels learn late so that an outage is flagged
     * before it is learned; -1 when there is none, or it was a {@code problem}.
     */
    int delayedRow(long now) {
        if (size <= shortDelayRows) {
            return -1;
        }
        int j = row(shortDelayRows);
        return flagged[j] || now - minute[j] > SHORT_DELAY + 2L * bucket ? -1 : j;
    }

    /** Reports in the buckets from {@code from} on, as far as the ring goes back. */
    int countSince(long from) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            int j = row(i);
            if (minute[j] < from) {
                break;
            }
            n += count[j];
        }
        return n;
    }

    /**
     * The estimated onset: the maximum-likelihood change point over the ring (90 minutes), the rate jumping
     * by a factor k fitted to each candidate (the generalised likelihood ratio): the bucket s maximising
     * x ln k - (k - 1) e, where x and e are the counts and expected counts from s to now and k = x / e (at
     * least 2). Fitting k to the candidate keeps a noisy minute before a big jump out of it (a k fixed from
     * the last 15 minutes put the onset up to 20 minutes early); on a ramp it gives a minute or a few into
     * it. One report above a tiny baseline before the outage does not move it.
     */
    long onset(long now) {
        long best = now;
        double max = Double.NEGATIVE_INFINITY;
        double x = 0;
        double e = 0;
        for (int i = 0; i < size; i++) {
            int j = row(i);
            x += count[j];
            e += expected[j];
            double k = Math.max(2, x / Math.max(e, 1e-9));
            double llr = x * Math.log(k) - (k - 1) * e;
            if (llr > max && count[j] > expected[j]) {
                max = llr;
                best = minute[j];
            }
        }
        return best;
    }
}
