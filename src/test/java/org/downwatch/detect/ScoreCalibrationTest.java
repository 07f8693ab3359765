package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The score calibrated on the service's own past: a rank among its past buckets, graded beyond them. */
class ScoreCalibrationTest {

    @Test
    void theScoreIsHowRareTheEvidenceIsAmongTheServicesOwnPast() {
        ScoreCalibration c = new ScoreCalibration(1);
        assertEquals(0, c.score(0), 1e-9, "the first bucket is as rare as itself");
        for (int i = 0; i < 989; i++) {
            c.score(0);
        }
        double v = ScoreCalibration.edge(27); // about 0.9, the lower edge of a bin: no interpolation within it
        for (int i = 0; i < 10; i++) {
            c.score(v);
        }
        // 1,000 buckets before it, 10 of them with evidence v (the week's decay takes 5 % off the oldest)
        assertEquals(-Math.log10(11 / 1001.0), c.score(v), 0.05);
        assertEquals(0, c.score(0), 0.01, "no evidence is as common as can be");
        double half = c.score(v / 2);
        assertEquals(-Math.log10(12 / 1003.0), half, 0.05, "half of it: as rare as the 11 buckets above it");
    }

    @Test
    void beyondEverythingSeenTheScoreGoesOnGrowingInProportionToTheEvidence() {
        ScoreCalibration c = new ScoreCalibration(1);
        for (int i = 0; i < 1000; i++) {
            c.score(i % 100 == 0 ? 2 : 0.1);
        }
        double top = Math.log10(1001);
        double four = new ScoreCalibrationCopy(c).score(4);
        double forty = new ScoreCalibrationCopy(c).score(40);
        assertEquals(2 * top, four, 0.1, "twice the highest evidence: twice the rarest rank");
        assertEquals(20 * top, forty, 1, "not capped");
    }

    /** A copy, so that each probe sees the same past. */
    static final class ScoreCalibrationCopy {
        final ScoreCalibration c = new ScoreCalibration(1);

        ScoreCalibrationCopy(ScoreCalibration from) {
            System.arraycopy(from.bins, 0, c.bins, 0, from.bins.length);
            c.highest = from.highest;
        }

        double score(double evidence) {
            return c.score(evidence);
        }
    }
}
