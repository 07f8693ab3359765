package org.downwatch.detect;

import static org.downwatch.detect.Tuning.CALIBRATION_BINS;
import static org.downwatch.detect.Tuning.CALIBRATION_BINS_PER_DOUBLING;
import static org.downwatch.detect.Tuning.CALIBRATION_LOWEST;
import static org.downwatch.detect.Tuning.CALIBRATION_TAU_MINUTES;

/**
 * The score calibrated on the service itself (issue 23): how rare the model's evidence of a bucket is among
 * the service's own past buckets. The model's evidence (ln P / ln alpha of the most surprising window) is
 * comparable between services only as far as the noise model fits them; how often a service has been that
 * surprising before is comparable whatever the fit. The calibrated score is -log10 of the share of past
 * buckets (exponentially weighted over about {@code CALIBRATION_TAU_MINUTES}) whose evidence was at least
 * as high, counting the bucket itself, so 3 means "once in a thousand buckets of this service"; above the
 * highest evidence seen, it goes on in proportion to the evidence (a log-probability: the rarest rank,
 * log10 of the weighted number of buckets, times the evidence over the highest), so it is graded and
 * never saturates. Causal: a bucket is compared with the buckets before it, then added.
 * <p>
 * The evidence is kept in a histogram: a bin for no evidence at all and {@code CALIBRATION_BINS} bins spaced
 * by a factor of 2^(1/{@code CALIBRATION_BINS_PER_DOUBLING}) from {@code CALIBRATION_LOWEST} on.
 */
final class ScoreCalibration {

    /** Weights of the buckets by bin: bin 0 is no evidence (below the lowest bin). */
    final double[] bins = new double[CALIBRATION_BINS + 1];
    /** The highest evidence seen (not decayed: the scale above the histogram). */
    double highest;
    private final double decay;

    ScoreCalibration(int bucketMinutes) {
        this.decay = Math.exp(-bucketMinutes / CALIBRATION_TAU_MINUTES);
    }

    static int bin(double evidence) {
        if (!(evidence >= CALIBRATION_LOWEST)) {
            return 0;
        }
        int b = 1 + (int) Math.floor(CALIBRATION_BINS_PER_DOUBLING * Math.log(evidence / CALIBRATION_LOWEST) / Math.log(2));
        return Math.min(CALIBRATION_BINS, b);
    }

    /** The lower edge of bin {@code b} (1 to CALIBRATION_BINS). */
    static double edge(int b) {
        return CALIBRATION_LOWEST * Math.pow(2, (b - 1) / (double) CALIBRATION_BINS_PER_DOUBLING);
    }

    /** The calibrated score of a bucket with this evidence, then the bucket is learned. */
    double score(double evidence) {
        int b = bin(evidence);
        double total = 0;
        double above = 0;
        for (int i = 0; i < bins.length; i++) {
            total += bins[i];
            if (i > b) {
                above += bins[i];
            }
        }
        // within its own bin, the share at least as high is interpolated (log-linearly in the evidence)
        double within = bins[b];
        if (b >= 1 && b < CALIBRATION_BINS) {
            double lo = edge(b);
            double f = Math.log(evidence / lo) / Math.log(edge(b + 1) / lo);
            within *= 1 - Math.max(0, Math.min(1, f));
        }
        double s = -Math.log10((above + within + 1) / (total + 1));
        if (evidence > highest && highest > 0) {
            // beyond everything seen: the evidence is a log-probability, so the rarity goes on in proportion
            s = Math.max(s, Math.log10(total + 1) * evidence / highest);
        }
        for (int i = 0; i < bins.length; i++) {
            bins[i] *= decay;
        }
        bins[b] += 1;
        highest = Math.max(highest, evidence);
        return Math.max(0, s);
    }
}
