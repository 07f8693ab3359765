package org.downwatch.detect;

/**
 * Tail probabilities of counts: Poisson, and negative binomial for over-dispersed counts
 * (variance {@code mean + phi * mean^2}). Plain Java, computed in log space so that the tiny
 * probabilities of a real outage (1e-30) neither underflow nor cost more than a few terms.
 */
public final class TailProbability {

    private TailProbability() {
    }

    private static final double[] LANCZOS = { 0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7 };

    /** ln Γ(x) for x > 0 (Lanczos, about 15 significant digits). */
    public static double lnGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
        }
        x -= 1;
        double a = LANCZOS[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += LANCZOS[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /**
     * ln P(X >= x) for X with the given mean and over-dispersion {@code phi} (0: Poisson). Counts at or
     * below the mean answer 0 (probability taken as 1: nothing unusual, and no precision is needed there).
     */
    public static double lnUpperTail(int x, double mean, double phi) {
        if (x <= 0 || x <= mean) {
            return 0;
        }
        if (mean <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double lnPmf;
        double r = 0, q = 0;
        boolean poisson = phi < 1e-9;
        if (poisson) {
            lnPmf = x * Math.log(mean) - mean - lnGamma(x + 1.0);
        } else {
            r = 1 / phi;
            q = mean / (r + mean);
            lnPmf = lnGamma(x + r) - lnGamma(r) - lnGamma(x + 1.0) + r * Math.log(r / (r + mean)) + x * Math.log(q);
        }
        // P(X >= x) = pmf(x) * (1 + pmf(x+1)/pmf(x) + ...): the ratios shrink once past the mode. After
        // 200 terms the rest is bounded by a geometric series (ratios never exceed max(last ratio, q)).
        double sum = 1, term = 1;
        for (int k = x; k < x + 200; k++) {
            double ratio = poisson ? mean / (k + 1) : (k + r) / (k + 1) * q;
            term *= ratio;
            sum += term;
            if (term < 1e-12 * sum) {
                return Math.min(0, lnPmf + Math.log(sum));
            }
            if (k == x + 199) {
                double rho = poisson ? ratio : Math.max(ratio, q);
                sum += rho < 1 ? term * rho / (1 - rho) : 0;
            }
        }
        return Math.min(0, lnPmf + Math.log(sum));
    }

    /**
     * The largest count that is not anomalous at tail probability {@code alpha}: P(X > upper) < alpha,
     * i.e. the smallest x with P(X >= x) < alpha, minus one.
     */
    public static int upper(double mean, double phi, double lnAlpha) {
        if (mean <= 0) {
            return 0;
        }
        double sd = Math.sqrt(mean + phi * mean * mean);
        double l2 = -2 * lnAlpha;
        double z = Math.sqrt(Math.max(1, l2 - Math.log(l2) - Math.log(2 * Math.PI))); // the normal quantile
        // bisection on x: lnUpperTail(lo) >= lnAlpha > lnUpperTail(hi)
        int lo = (int) Math.floor(mean);
        int hi = Math.max(lo + 1, (int) Math.ceil(mean + z * sd));
        while (lnUpperTail(hi, mean, phi) >= lnAlpha) {
            lo = hi;
            hi = hi + Math.max(1, (int) Math.ceil(sd));
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (lnUpperTail(mid, mean, phi) < lnAlpha) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi - 1;
    }
}
