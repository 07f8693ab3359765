package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The detector's maths on small hand-made series (plain JUnit, no framework). */
class DetectorTest {

    /** A Monday 00:00 UTC, in epoch minutes. */
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond() / 60;
    static final int WEEK = 7 * 1440;

    static int poisson(SplittableRandom r, double mean) {
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** A daily rhythm between 0.2 and 1 times {@code peak}. */
    static double daily(double peak, long minute) {
        double hour = Math.floorMod(minute, 1440) / 60.0;
        return peak * (0.6 - 0.4 * Math.cos((hour - 2) / 24 * 2 * Math.PI));
    }

    static Detector detector() {
        return new Detector(DetectorSettings.defaults(), 1);
    }

    @Test
    void flatSeriesNeverAlarms() {
        Detector d = detector();
        for (long m = T0; m < T0 + 4 * WEEK; m++) {
            Detector.Verdict v = d.step(m, 1);
            assertFalse(v.problem(), "at minute " + (m - T0));
            if (m > T0 + 60) {
                assertEquals(Level.NONE, v.level(), "at minute " + (m - T0));
            }
        }
        assertEquals(1.0, d.step(T0 + 4 * WEEK, 1).expected(), 0.1);
    }

    @Test
    void noisyFlatSeriesWithADailyRhythmDoesNotAlarm() {
        SplittableRandom r = new SplittableRandom(1);
        Detector d = detector();
        int alarms = 0;
        boolean was = false;
        for (long m = T0; m < T0 + 4 * WEEK; m++) {
            boolean problem = d.step(m, poisson(r, daily(3, m))).problem();
            if (problem && !was) {
                alarms++;
            }
            was = problem;
        }
        // the budget is 0.1 false alarms per service-week: at most one in four weeks
        assertTrue(alarms <= 1, alarms + " false alarms");
    }

    /** Two weeks at {@code rate}, then k times more: minutes from the step to the first problem. */
    static int delay(double rate, double k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Detector d = detector();
        long step = T0 + 2 * WEEK + 600;
        for (long m = T0; m < step - 60; m++) {
            d.step(m, poisson(r, rate)); // false alarms are the other tests' business
        }
        for (long m = step - 60; m < step; m++) {
            assertFalse(d.step(m, (int) Math.round(rate)).problem(), "calm before the step");
        }
        for (long m = step; m < step + 120; m++) {
            Detector.Verdict v = d.step(m, poisson(r, rate * k));
            if (v.problem()) {
                assertTrue(v.onset() >= step - 5 && v.onset() <= m, "onset near the step: " + (v.onset() - step));
                return (int) (m - step) + 1;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void stepAlarmsWithinTheExpectedMinutes() {
        // the statistical limit for a known rate at one false alarm a month is about 1, 3 and 7-8 minutes
        assertTrue(delay(10, 3, 2) <= 3, "10/min tripled");
        assertTrue(delay(1, 5, 3) <= 8, "1/min times 5");
        assertTrue(delay(1, 3, 4) <= 20, "1/min tripled");
    }

    /**
     * Three weeks of Poisson counts at {@code rate}, then one minute with {@code extra} reports more and
     * {@code minutes} at exactly the rate, none of which may be a problem; answers the detector.
     */
    static Detector afterABurst(long seed, int rate, int extra, int minutes) {
        SplittableRandom r = new SplittableRandom(seed);
        Detector d = detector();
        long spike = T0 + 3 * WEEK + 600;
        for (long m = T0; m < spike; m++) {
            d.step(m, poisson(r, rate));
        }
        for (long m = spike; m < spike + minutes; m++) {
            int n = (m == spike ? extra : 0) + rate;
            assertFalse(d.step(m, n).problem(), "seed " + seed + ", minute " + (m - spike));
        }
        return d;
    }

    @Test
    void aSingleNoisyMinuteIsNotAnOutage() {
        // one minute with 12 extra reports over 2 a minute (the bench's "single spike"): no 1-minute
        // window, so it must last a few minutes to count; the same burst repeated for 3 minutes does
        Detector d = afterABurst(5, 2, 12, 60);
        long next = d.lastMinute() + 1;
        boolean problem = false;
        for (long m = next; m < next + 3; m++) {
            problem |= d.step(m, 14).problem();
        }
        assertTrue(problem, "three minutes at 7 times the usual");
    }

    @Test
    void aOneMinuteBurstOnABusyServiceWithPoissonCountsIsNotAnOutage() {
        // 10 a minute, exactly Poisson for three weeks (its estimated over-dispersion goes to 0), then one
        // minute with 30 extra reports: three times the usual volume added, for one minute only (the bench's
        // single spike); a 3-minute window holds 60 where 30 are usual, p about 1e-7 for a pure Poisson test
        for (long seed = 1; seed <= 5; seed++) {
            afterABurst(seed, 10, 30, 30);
        }
    }

    /** 1 until 12:00, then up to 1.5 over half an hour, and 1.5 for the rest of the day. */
    static double busyAfternoon(long minute) {
        double t = (Math.floorMod(minute, 1440) - 12 * 60) / 30.0;
        return 1 + 0.5 * Math.max(0, Math.min(1, t));
    }

    @Test
    void aBusyAfternoonIsNotAnOutageButAnOutageOnItIs() {
        // traffic 50% above its weekly profile from midday (a busy afternoon, not an outage): the
        // short-term level follows it without alarms; an outage tripling the afternoon's volume at 15:00
        // is still flagged at once
        SplittableRandom r = new SplittableRandom(11);
        Detector d = detector();
        long day = T0 + 3 * WEEK;
        for (long m = T0; m < day; m++) {
            d.step(m, poisson(r, daily(3, m)));
        }
        long outage = day + 15 * 60;
        for (long m = day; m < outage; m++) {
            assertFalse(d.step(m, poisson(r, busyAfternoon(m) * daily(3, m))).problem(), "busy afternoon at minute " + (m - day));
        }
        Detector.Verdict before = d.step(outage, poisson(r, 1.5 * daily(3, outage)));
        assertFalse(before.problem());
        double usual = daily(3, outage);
        assertTrue(before.expected() > 1.3 * usual, "the expectation followed the afternoon: " + before.expected() + ", usually " + usual);
        int delay = -1;
        for (long m = outage + 1; m < outage + 60 && delay < 0; m++) {
            if (d.step(m, poisson(r, 3 * 1.5 * daily(3, m))).problem()) {
                delay = (int) (m - outage);
            }
        }
        assertTrue(delay >= 1 && delay <= 5, "tripled at 15:00, flagged after " + delay + " minutes");
    }

    /** Weekdays peak at 10:00, weekends at 21:00 (between 0.2 and 1 times {@code peak}). */
    static double weekendShifted(double peak, long minute) {
        boolean weekend = Math.floorMod(minute - T0, WEEK) >= 5 * 1440;
        double hour = Math.floorMod(minute, 1440) / 60.0;
        return peak * (0.6 + 0.4 * Math.cos((hour - (weekend ? 21 : 10)) / 24 * 2 * Math.PI));
    }

    @Test
    void aWeekendShapedDifferentlyFromWeekdaysIsLearned() {
        // the time-of-day profile pooled over all days helps a week-old slot with little data, but must
        // not replace a weekday's own shape where the weeks agree on it: weekends peak at 21:00, when
        // weekdays are at their quietest. The history starts on a Saturday, so that the first weekend is
        // learned whole (a shape first seen once trusted is flagged, and what is flagged is not learned)
        SplittableRandom r = new SplittableRandom(21);
        Detector d = detector();
        long weekend = T0 + 3 * WEEK + 5 * 1440;
        int alarms = 0;
        boolean was = false;
        for (long m = T0 - 2 * 1440; m < weekend + 2 * 1440; m++) {
            Detector.Verdict v = d.step(m, poisson(r, weekendShifted(3, m)));
            if (m >= weekend && v.problem() && !was) {
                alarms++;
            }
            was = v.problem();
            if (m == weekend + 21 * 60 || m == weekend + 1440 + 10 * 60) {
                double usual = weekendShifted(3, m);
                assertEquals(usual, v.expected(), 0.25 * usual, "expected at " + Instant.ofEpochSecond(m * 60));
            }
        }
        assertEquals(0, alarms, "false alarms on the fourth weekend");
    }

    /** {@link #daily}, plus on weekends an evening peak (20:00, up to 4 times the weekday's volume then). */
    static double weekendEvenings(double peak, long minute) {
        boolean weekend = Math.floorMod(minute - T0, WEEK) >= 5 * 1440;
        double hour = Math.floorMod(minute, 1440) / 60.0;
        return daily(peak, minute) + (weekend ? 2 * peak * Math.exp(-0.5 * Math.pow((hour - 20) / 1.2, 2)) : 0);
    }

    @Test
    void aShapeFirstSeenOnceTrustedIsLearnedWhenItComesBack() {
        // the history starts on a Monday, so the first weekend's evening peak is new to a trusted baseline
        // and flagged; flagged minutes are not learned (an outage must not raise the baseline), but the
        // same slot flagged again a day or a week later is the service's shape: it is learned, and from the
        // third weekend on the evenings are not outages. Before, it was flagged every weekend for weeks.
        SplittableRandom r = new SplittableRandom(23);
        Detector d = detector();
        int[] alarms = new int[5];
        boolean was = false;
        for (long m = T0; m < T0 + 5 * WEEK; m++) {
            boolean problem = d.step(m, poisson(r, weekendEvenings(3, m))).problem();
            if (problem && !was) {
                alarms[(int) ((m - T0) / WEEK)]++;
            }
            was = problem;
        }
        assertTrue(alarms[0] > 0, "the first weekend's evenings are new: " + Arrays.toString(alarms));
        assertEquals(0, alarms[2] + alarms[3] + alarms[4], "alarms per week " + Arrays.toString(alarms));
    }

    @Test
    void pastOutageDoesNotInflateTheBaseline() {
        SplittableRandom r1 = new SplittableRandom(5), r2 = new SplittableRandom(5);
        Detector clean = detector(), outage = detector();
        long start = T0 + WEEK + 10 * 60; // the second Monday, 10:00
        boolean flagged = false;
        for (long m = T0; m < T0 + 3 * WEEK + 9 * 60; m++) {
            int c = poisson(r1, daily(2, m));
            poisson(r2, 0); // keep the draws aligned
            clean.step(m, c);
            boolean during = m >= start && m < start + 120;
            Detector.Verdict v = outage.step(m, during ? c + 40 : c);
            flagged |= during && v.problem();
        }
        assertTrue(flagged, "the outage was flagged");
        // a week and two weeks later at 10:00 the baselines agree
        double e1 = clean.step(T0 + 3 * WEEK + 10 * 60, 2).expected();
        double e2 = outage.step(T0 + 3 * WEEK + 10 * 60, 2).expected();
        assertEquals(e1, e2, 0.1 * e1, "baseline after an outage " + e2 + " vs " + e1);
    }

    @Test
    void noLookAhead() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 3 * 1440;
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = poisson(r, daily(1, T0 + i)) + (i > 2500 && i < 2600 ? 10 : 0);
        }
        List<Detector.Verdict> full = run(counts, n);
        List<Detector.Verdict> cut = run(counts, 2550);
        for (int i = 0; i < cut.size(); i++) {
            assertEquals(cut.get(i), full.get(i), "row " + i);
        }
    }

    static List<Detector.Verdict> run(int[] counts, int n) {
        Detector d = detector();
        List<Detector.Verdict> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(d.step(T0 + i, counts[i]));
        }
        return out;
    }

    @Test
    void quietServiceStaysQuietAndOnePersonNeverRaisesALevel() {
        SplittableRandom r = new SplittableRandom(8);
        Detector d = detector();
        for (long m = T0; m < T0 + 3 * WEEK; m++) {
            Detector.Verdict v = d.step(m, poisson(r, daily(0.1, m)));
            assertFalse(v.problem(), v.toString());
        }
        for (long m = T0 + 3 * WEEK; m < T0 + 3 * WEEK + 3 * 60; m++) {
            d.step(m, 0);
        }
        // at night, nobody reports: then one report, then two in one minute
        long night = T0 + 3 * WEEK + 3 * 60;
        assertEquals(0, d.step(night, 1).score(), 1e-9, "one report raises nothing");
        assertEquals(0, d.step(night + 70, 2).score(), 1e-9, "two reports in a window raise nothing");
        night += 80;
        // a crowd does
        Level level = Level.NONE;
        for (long m = night + 10; m < night + 15; m++) {
            level = d.step(m, 4).level();
        }
        assertEquals(Level.PROBLEM, level);
    }

    @Test
    void newServiceIsFlaggedByTheFloorOnly() {
        Detector d = detector();
        // 19 reports in 15 minutes: below the floor of 20
        for (int i = 0; i < 15; i++) {
            assertFalse(d.step(T0 + i, i < 4 ? 4 : (i == 4 ? 3 : 0)).problem());
        }
        Detector d2 = detector();
        Detector.Verdict v = null;
        for (int i = 0; i < 5; i++) {
            v = d2.step(T0 + i, 4);
        }
        assertEquals(Level.PROBLEM, v.level(), "20 people in 5 minutes");
        assertEquals(T0, v.onset());
        assertEquals(19, v.upper());
    }

    /**
     * A service {@code hours} old with a daily rhythm (peak 3 a minute) whose rate is then multiplied by
     * {@code k}: minutes from the step to the first problem (MAX_VALUE if none in two hours); no problem
     * before the step from the fourth hour on, and the expectation an hour into the outage at most twice
     * what it was before (the outage is not learned).
     */
    static int youngDelay(int hours, double k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Detector d = detector();
        long step = T0 + hours * 60L;
        double before = 0;
        for (long m = T0; m < step; m++) {
            Detector.Verdict v = d.step(m, poisson(r, daily(3, m)));
            if (m >= T0 + 180) {
                assertFalse(v.problem(), "a false alarm at minute " + (m - T0) + " of a young service");
            }
            before = v.expected();
        }
        int delay = Integer.MAX_VALUE;
        for (long m = step; m < step + 120; m++) {
            Detector.Verdict v = d.step(m, poisson(r, k * daily(3, m)));
            if (v.problem() && delay == Integer.MAX_VALUE) {
                delay = (int) (m - step) + 1;
            }
            if (m == step + 60) {
                assertTrue(v.expected() <= 2 * before, "the outage is learned: expected " + v.expected() + ", before " + before);
            }
        }
        return delay;
    }

    @Test
    void aServiceAFewHoursOrDaysOldCatchesAnOutage() {
        // before it is trusted (three days), a service is tested against its recent level (and from two days on
        // its time of day), not the floor alone: the floor took 13 times the volume and learned the outage
        assertTrue(youngDelay(8, 10, 21) <= 10, "8 hours old, times 10");
        assertTrue(youngDelay(30, 10, 22) <= 10, "30 hours old, times 10");
        assertTrue(youngDelay(50, 5, 23) <= 15, "50 hours old, times 5");
        assertTrue(youngDelay(60, 1, 24) == Integer.MAX_VALUE, "60 hours old, no outage");
    }

    @Test
    void aNoisyMinuteJustBeforeABigJumpIsNotItsOnset() {
        Detector d = detector();
        long step = T0 + 2 * WEEK + 600;
        for (long m = T0; m < step; m++) {
            d.step(m, m == step - 6 ? 3 : (int) (m % 2)); // half a report a minute, and three six minutes before the jump
        }
        Detector.Verdict v = null;
        for (long m = step; m < step + 10 && (v == null || !v.problem()); m++) {
            v = d.step(m, 10); // twenty times the usual volume
        }
        assertEquals(Level.PROBLEM, v.level());
        assertEquals(step, v.onset(), "onset " + (v.onset() - step) + " minutes from the jump");
    }

    @Test
    void aRestoredDetectorGoesOnExactlyAsTheOneThatWasSaved() {
        // five weeks (the ring of four wraps), a weekend shape learned as it comes back, and an outage; saved
        // and restored at a slot's first minute, in the middle of a slot, and during the outage
        SplittableRandom r = new SplittableRandom(31);
        int n = 5 * WEEK;
        int[] counts = new int[n];
        long outage = 4 * WEEK + 3 * 1440 + 14 * 60 + 7;
        for (int i = 0; i < n; i++) {
            counts[i] = poisson(r, weekendEvenings(2, T0 + i)) + (i >= outage && i < outage + 90 ? 6 : 0);
        }
        List<Detector.Verdict> straight = run(counts, n);
        assertTrue(straight.get((int) outage + 30).problem(), "the outage is flagged");
        for (int cut : new int[] { 3 * WEEK + 600, 4 * WEEK + 1447, (int) outage + 20, 5 })  {
            Detector d = detector();
            for (int i = 0; i < cut; i++) {
                d.step(T0 + i, counts[i]);
            }
            byte[] state = d.state();
            Detector restored = Detector.restore(DetectorSettings.defaults(), 1, state);
            assertTrue(restored != null, "restored at " + cut);
            assertEquals(d.lastMinute(), restored.lastMinute());
            for (int i = cut; i < Math.min(n, cut + 2 * 1440); i++) {
                assertEquals(straight.get(i), restored.step(T0 + i, counts[i]), "minute " + i + " after a restore at " + cut);
            }
            // and what charts ask of the past
            long m = T0 + Math.min(n, cut + 2 * 1440) - 600;
            Detector again = Detector.restore(DetectorSettings.defaults(), 1, state);
            for (int i = cut; i < Math.min(n, cut + 2 * 1440); i++) {
                again.step(T0 + i, counts[i]);
            }
            assertEquals(restored.expectedRate(m), again.expectedRate(m));
        }
    }

    @Test
    void aStateIsRestoredOnlyUnderTheSettingsItWasLearnedWith() {
        Detector d = detector();
        SplittableRandom r = new SplittableRandom(3);
        for (long m = T0; m < T0 + 4 * 1440; m++) {
            d.step(m, poisson(r, daily(1, m)));
        }
        byte[] state = d.state();
        assertTrue(state.length < 30_000, "deflated: " + state.length + " bytes");
        assertTrue(Detector.restore(DetectorSettings.defaults(), 1, state) != null);
        // another alpha flags, hence learns, other minutes; another bucket or ring is another layout
        assertEquals(null, Detector.restore(DetectorSettings.defaults().withAlpha(1e-6), 1, state));
        assertEquals(null, Detector.restore(DetectorSettings.defaults(), 5, state));
        DetectorSettings d0 = DetectorSettings.defaults();
        assertEquals(null, Detector.restore(new DetectorSettings(d0.windows(), d0.problemAlpha(), d0.possibleScore(),
                d0.minPossible(), d0.minProblem(), d0.floorProblem(), d0.minHistoryMinutes(), 3), 1, state));
        // truncated or damaged: not restored (the live detector replays the history instead)
        assertEquals(null, Detector.restore(DetectorSettings.defaults(), 1, Arrays.copyOf(state, state.length / 2)));
        byte[] damaged = state.clone();
        damaged[damaged.length / 2] ^= 0x5a;
        assertEquals(null, Detector.restore(DetectorSettings.defaults(), 1, damaged));
        assertEquals(null, Detector.restore(DetectorSettings.defaults(), 1, new byte[0]));
        // a quiet service's state is small
        Detector quiet = detector();
        quiet.step(T0, 1);
        assertTrue(quiet.state().length < 2_000, "a new service: " + quiet.state().length + " bytes");
    }

    @Test
    void tailProbabilitiesMatchKnownValues() {
        // P(Poisson(1) >= 3) = 1 - (e^-1)(1 + 1 + 1/2) = 0.0803
        assertEquals(0.0803014, Math.exp(TailProbability.lnUpperTail(3, 1, 0)), 1e-6);
        // over-dispersion widens the tail
        assertTrue(TailProbability.lnUpperTail(20, 10, 0.1) > TailProbability.lnUpperTail(20, 10, 0));
        // P(Poisson(10) >= 25) = 4.69e-5
        assertEquals(4.6949e-5, Math.exp(TailProbability.lnUpperTail(25, 10, 0)), 1e-8);
        int u = TailProbability.upper(10, 0, Math.log(1e-6));
        assertTrue(TailProbability.lnUpperTail(u + 1, 10, 0) < Math.log(1e-6));
        assertTrue(TailProbability.lnUpperTail(u, 10, 0) >= Math.log(1e-6));
    }
}
