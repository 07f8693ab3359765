package org.downwatch.detect;

import static org.downwatch.detect.Tuning.PHI_MIN;
import static org.downwatch.detect.Tuning.PHI_PRIOR;
import static org.downwatch.detect.Tuning.PHI_PRIOR_SLOTS;
import static org.downwatch.detect.Tuning.PHI_TAIL;
import static org.downwatch.detect.Tuning.WEEK;

/**
 * The noise of a service's counts: negative binomial with variance {@code m + phi m^2}. {@code phi} is
 * estimated by moments from the residuals of the 15-minute slots over about a week (prior
 * {@code PHI_PRIOR}, at least {@code PHI_MIN}); it includes the baseline's own estimation error, as the
 * residuals are taken against the predicted rate.
 */
final class Dispersion {

    double num;
    double den;
    double n;
    /** The current slot's learned counts and their expectation. */
    double slotObs;
    double slotExp;

    /** A learned bucket of the current slot. */
    void add(double count, double expected) {
        slotObs += count;
        slotExp += expected;
    }

    /** The slot is over: its residual is learned (exponential average over a week of slots). */
    void endSlot() {
        if (slotExp > 0) {
            double d = 1 - 1.0 / WEEK;
            num = d * num + (slotObs - slotExp) * (slotObs - slotExp) - slotObs;
            den = d * den + slotExp * slotExp;
            n = d * n + 1;
        }
        slotObs = 0;
        slotExp = 0;
    }

    /**
     * The over-dispersion the windows are tested with (variance = m + phi m^2): the estimate, within
     * [PHI_MIN, 1], times {@code PHI_TAIL} (the drift's heavier tail).
     */
    double phi() {
        if (n < 1e-9) {
            return PHI_PRIOR;
        }
        double prior = PHI_PRIOR_SLOTS * den / n;
        return PHI_TAIL * Math.max(PHI_MIN, Math.min(1, (num + PHI_PRIOR * prior) / (den + prior)));
    }

    /** What is learned of a count with this expectation at most (winsorising): three standard deviations above it, plus 2. */
    static double clip(double expected, double phi) {
        return expected + 3 * Math.sqrt(expected * (1 + phi * expected)) + 2;
    }
}
