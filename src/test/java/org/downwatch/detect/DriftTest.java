package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Crowd traffic drifts (issue 23): a series whose volume wanders around its daily rhythm by a log-normal
 * factor (AR(1) in the log, sd 0.4, correlation time 40 minutes, as real crowd counts do), learned for three
 * weeks. A news-like surge that rises and falls within the hour is at most {@code possible}; a step to five
 * times the volume is a {@code problem} within half an hour; the score grades the evidence instead of stopping at 1.
 */
class DriftTest {

    static final long T0 = DetectorTest.T0;
    static final int WEEK = DetectorTest.WEEK;
    /** Three weeks in, a Monday at 14:00. */
    static final long EVENT = T0 + 3 * WEEK + 14 * 60;

    /** The drifting multiplier, minute by minute: AR(1) in the log, mean 1. */
    static final class Drift {
        final SplittableRandom r;
        final double sd;
        final double a;
        double z;

        Drift(SplittableRandom r, double sd, double tau) {
            this.r = r;
            this.sd = sd;
            this.a = Math.exp(-1 / tau);
            this.z = r.nextGaussian();
        }

        double next() {
            z = a * z + Math.sqrt(1 - a * a) * r.nextGaussian();
            return Math.exp(sd * z - sd * sd / 2);
        }
    }

    /** A surge from news: rises over 10 minutes to {@code peak} times the volume, falls with a time constant of 8 minutes. */
    static double surge(long minute, double peak) {
        double t = minute - EVENT;
        if (t < 0 || t >= 60) {
            return 1;
        }
        double shape = t < 10 ? (t + 1) / 10 : Math.exp(-(t - 10) / 8);
        return 1 + (peak - 1) * Math.min(1, shape);
    }

    /** Three weeks and 14 hours of a drifting series at {@code peak} reports a minute at the busiest hour, then {@code factor(minute)}. */
    static Level[] run(long seed, double peak, java.util.function.LongToDoubleFunction factor, double[] scores) {
        SplittableRandom r = new SplittableRandom(seed);
        Drift drift = new Drift(r, 0.4, 40);
        Detector d = DetectorTest.detector();
        Level[] levels = new Level[180];
        for (long m = T0; m < EVENT + 180; m++) {
            double mean = DetectorTest.daily(peak, m) * drift.next() * factor.applyAsDouble(m);
            Detector.Verdict v = d.step(m, DetectorTest.poisson(r, mean));
            if (m >= EVENT) {
                levels[(int) (m - EVENT)] = v.level();
                if (scores != null) {
                    scores[(int) (m - EVENT)] = v.score();
                }
            }
        }
        return levels;
    }

    @Test
    void aNewsLikeSurgeOnADriftingSeriesIsNotAProblem() {
        for (long seed = 1; seed <= 3; seed++) {
            for (double peak : new double[] { 2, 5 }) {
                Level[] levels = run(seed, peak, m -> surge(m, 2.5), null);
                for (int t = 0; t < levels.length; t++) {
                    assertFalse(levels[t] == Level.PROBLEM,
                            "seed " + seed + ", " + peak + " a minute: a surge to x2.5 is a problem " + t + " minutes in");
                }
            }
        }
    }

    @Test
    void aStepToFiveTimesTheVolumeOnADriftingSeriesIsAProblem() {
        for (long seed = 1; seed <= 3; seed++) {
            for (double peak : new double[] { 2, 5 }) {
                Level[] levels = run(seed, peak, m -> m >= EVENT ? 5 : 1, null);
                int first = -1;
                for (int t = 0; t < levels.length && first < 0; t++) {
                    first = levels[t] == Level.PROBLEM ? t : -1;
                }
                assertTrue(first >= 0 && first <= 30, "seed " + seed + ", " + peak + " a minute: first problem at " + first);
                int problems = 0;
                for (Level l : levels) {
                    problems += l == Level.PROBLEM ? 1 : 0;
                }
                // not all three hours: where the drift takes the step down to x2.5 for an hour, the level falls
                // back (seed 3, 5 a minute: 282 reports in 15 minutes against 116 expected, 45 minutes in)
                assertTrue(problems >= 30, "seed " + seed + ", " + peak + " a minute: " + problems + " minutes at problem");
            }
        }
    }

    @Test
    void theScoreGradesTheEvidenceAndDoesNotStopAtTheProblemThreshold() {
        double[] surge = new double[180];
        double[] five = new double[180];
        double[] twenty = new double[180];
        run(1, 5, m -> surge(m, 2.5), surge);
        run(1, 5, m -> m >= EVENT ? 5 : 1, five);
        run(1, 5, m -> m >= EVENT ? 20 : 1, twenty);
        double maxSurge = java.util.Arrays.stream(surge).max().orElseThrow();
        double maxFive = java.util.Arrays.stream(five).max().orElseThrow();
        double maxTwenty = java.util.Arrays.stream(twenty).max().orElseThrow();
        // the score says how rare the evidence is for this service: -log10 of the share of its past buckets
        // at least as surprising (a week's weight of minutes: 4 at most among them), growing on above its most surprising
        assertTrue(maxFive > 4, "a step to x5 is rarer than one minute in 10,000 of this service: " + maxFive);
        assertTrue(maxSurge < maxFive, "a surge to x2.5 is less surprising than a step to x5: " + maxSurge + " against " + maxFive);
        assertTrue(maxTwenty > 1.5 * maxFive, "x20 is far more surprising than x5: " + maxTwenty + " against " + maxFive);
    }
}
