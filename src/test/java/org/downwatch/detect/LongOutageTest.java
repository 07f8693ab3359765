package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A long outage that eases off, shaped like the demo's La Poste outage (DemoTraffic): a quiet service with a
 * morning, lunch and evening rhythm, an outage from 06:04 to 22:00 Paris that ramps up over 35 minutes to
 * 30 times the usual volume and eases after three hours to about 10 times it. Plain JUnit on the Detector's
 * public API, the code the backtest and the live detector run.
 */
class LongOutageTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final LocalDate DAY = LocalDate.of(2026, 12, 3); // a Thursday
    static final long START = minute(6, 4);
    static final long END = minute(22, 0);

    static long minute(int hour, int min) {
        return DAY.atTime(hour, min).atZone(PARIS).toEpochSecond() / 60;
    }

    static double bump(double hour, double centre, double width) {
        double d = Math.abs(hour - centre);
        d = Math.min(d, 24 - d);
        return Math.exp(-0.5 * (d / width) * (d / width));
    }

    /** The demo's usual rate for La Poste (0.9 a minute at the busiest hour, weekends at 0.55). */
    static double usual(long minute) {
        ZonedDateTime t = Instant.ofEpochSecond(minute * 60).atZone(PARIS);
        double hour = t.getHour() + t.getMinute() / 60.0;
        double daily = 0.06 + 0.55 * bump(hour, 9.5, 2.2) + 0.45 * bump(hour, 13, 1.8) + 0.75 * bump(hour, 20.5, 2.4);
        return 0.9 * Math.min(1, daily) * (t.getDayOfWeek().getValue() >= 6 ? 0.55 : 1);
    }

    /** The demo outage's factor: a 35-minute ramp to 30, easing after 3 hours (at least 0.3 of it), a last half hour fading out. */
    static double factor(long minute) {
        if (minute < START || minute >= END) {
            return 1;
        }
        double m = minute - START;
        double ramp = Math.min(1, m / 35);
        double fade = Math.min(1, (END - minute) / 30.0);
        double easing = m > 180 ? Math.max(0.3, Math.exp(-(m - 180) / 300)) : 1;
        return 1 + 29 * ramp * fade * easing;
    }

    @Test
    // Fails today: 12 hours into the problem the detector learns the outage's counts again (Detector.step,
    // flaggedMinutes > RELEARN_AFTER_MINUTES), which lifts the over-dispersion phi from 0.12 to about 0.7 and the
    // slow level; the level falls to none at 18:35 UTC with 80 reports in 15 minutes where about 17 are expected,
    // as the demo's incident closed. Passes with that relearning off; enable it with the fix (issue 23).
    void aLongOutageThatEasesOffStaysAProblemUntilTheCountsComeBack() {
        SplittableRandom r = new SplittableRandom(1);
        Detector d = new Detector(DetectorSettings.defaults(), 1);
        double noise = 1;
        Level lastLevel = null;
        for (long m = START - 14 * 1440; m < END + 90; m++) {
            if (Math.floorMod(m, 60) == 0) {
                // the hourly volume wanders (log-normal, sd about 0.29, as the demo's Gamma of shape 12)
                noise = Math.exp(0.29 * r.nextGaussian() - 0.042);
            }
            Detector.Verdict v = d.step(m, DetectorTest.poisson(r, usual(m) * factor(m) * noise));
            if (m >= START + 30 && m < END - 30) {
                // from half an hour in until it fades, the counts are 6 to 30 times the usual volume
                assertEquals(Level.PROBLEM, v.level(),
                        "at " + Instant.ofEpochSecond(m * 60) + ", " + v.observed() + " reports in 15 minutes, about "
                                + Math.round(v.windowExpected()) + " expected");
            }
            lastLevel = v.level();
        }
        // and it ends once the counts are back to the usual volume
        assertEquals(Level.NONE, lastLevel);
    }
}
