package org.downwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.downwatch.detect.SeriesPoint;
import org.junit.jupiter.api.Test;

class ChartTest {

    static final Instant FROM = Instant.parse("2026-11-26T00:00:00Z");
    static final Duration Q = Duration.ofMinutes(15);

    static List<SeriesPoint> day(double baseline, double upper) {
        List<SeriesPoint> points = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            int count = i >= 20 && i < 30 ? 200 : 8;
            points.add(new SeriesPoint(FROM.plus(Q.multipliedBy(i)), count, baseline, upper, i == 95));
        }
        return points;
    }

    @Test
    void oneBarPerBucketAndTheSpikeStandsOut() {
        Chart c = new Chart("24h", day(9, 25), Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertEquals(96, c.bars.size());
        assertEquals(200 * 10 + 8 * 86, c.total);
        assertEquals(200, c.peakCount);
        assertEquals(FROM.plus(Q.multipliedBy(20)), c.peakAt);
        assertTrue(c.bars.get(20).css().contains("high"), "above the upper bound");
        assertFalse(c.bars.get(0).css().contains("high"));
        assertTrue(c.bars.get(95).css().contains("partial"));
        assertTrue(c.hasUpper());
        assertEquals(9, c.usualPerBucket);
    }

    @Test
    void minutesNotEvaluatedHaveNoBandNorLine() {
        List<SeriesPoint> points = new ArrayList<>();
        for (SeriesPoint p : day(9, 25)) {
            int i = points.size();
            boolean evaluated = i < 40 || i >= 60; // a gap of 20 buckets the detector did not see, in the middle
            points.add(new SeriesPoint(p.start(), p.count(), evaluated ? p.baseline() : null, evaluated ? p.upper() : null,
                    p.partial()));
        }
        Chart c = new Chart("24h", points, Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertEquals(2, c.bands.size(), "the band stops at the gap and starts again after it");
        double gapStart = Double.parseDouble(c.bars.get(40).x()), gapEnd = Double.parseDouble(c.bars.get(59).x());
        for (String poly : c.bands) {
            for (String point : poly.split(" ")) {
                double x = Double.parseDouble(point.split(",")[0]);
                assertFalse(x > gapStart && x < gapEnd, "no band over the gap: " + point);
            }
        }
        assertEquals(2, c.uppers.size());
        assertEquals(96, c.bars.size(), "the counts are all drawn");
        assertEquals(9, c.usualPerBucket, "the average is over the evaluated buckets only");
        assertEquals(null, c.rows.get(11).usual(), "11:00 to 12:00 (buckets 44 to 47) was not evaluated");
    }

    @Test
    void withoutAnyBaselineThereIsNoBandNorUpperLine() {
        List<SeriesPoint> points = day(0, 0).stream()
                .map(p -> new SeriesPoint(p.start(), p.count(), null, null, p.partial())).toList();
        Chart c = new Chart("24h", points, Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertFalse(c.hasUpper());
        assertTrue(c.bands.isEmpty());
        assertTrue(c.uppers.isEmpty());
    }

    @Test
    void theScaleIsForTheCountsAndTheBandAndAFarThresholdIsOffTheTop() {
        // a quiet evening: about 8 reports per 15 minutes, usual 6, the unusual level at 80, ten times the bars
        List<SeriesPoint> quiet = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            quiet.add(new SeriesPoint(FROM.plus(Q.multipliedBy(i)), 8, 6.0, 80.0, false));
        }
        Chart c = new Chart("24h", quiet, Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertEquals("8", c.grid.get(4).label(), "the top of the scale is the bars', not the threshold's");
        assertTrue(c.uppers.isEmpty(), "the threshold is not drawn where it is off the chart");
        assertEquals(80, c.upperOffTop, "and the caption says so");
        assertTrue(c.hasUpper());

        // a threshold close to the counts joins the scale and is drawn
        Chart near = new Chart("24h", day(9, 25), Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertEquals(0, near.upperOffTop);
        assertEquals(1, near.uppers.size());
    }

    @Test
    void theWeekInHoursDrawsNoThreshold() {
        List<SeriesPoint> week = new ArrayList<>();
        Duration hour = Duration.ofHours(1);
        for (int i = 0; i < 168; i++) {
            week.add(new SeriesPoint(FROM.plus(hour.multipliedBy(i)), i == 100 ? 900 : 30, 24.0, 300.0, false));
        }
        Chart c = new Chart("7d", week, hour, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        assertFalse(c.hasUpper());
        assertTrue(c.uppers.isEmpty());
        assertEquals(0, c.upperOffTop);
        assertFalse(c.bars.get(100).css().contains("high"), "no threshold the detector does not test");
        assertEquals(1, c.bands.size());
    }

    @Test
    void hourTicksFollowTheVisitorsZone() {
        Chart utc = new Chart("24h", day(9, 25), Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        Chart kolkata = new Chart("24h", day(9, 25), Q, FROM, ZoneId.of("Asia/Kolkata"), Locale.ENGLISH, List.of(),
                Chart.Size.WIDE);
        List<String> utcLabels = utc.ticks.stream().map(Chart.Tick::label).filter(l -> !l.isEmpty()).toList();
        assertEquals(List.of("Thu 26", "03:00", "06:00"), utcLabels.subList(0, 3), "midnight shows the day");
        // 00:00 UTC is 05:30 in Kolkata: hour ticks fall on the half hours of UTC
        assertEquals("06:00", kolkata.ticks.stream().filter(t -> !t.label().isEmpty()).findFirst().orElseThrow().label());
        assertTrue(utc.ticks.get(0).x().equals("44"), "midnight UTC at the left edge");
        assertFalse(kolkata.ticks.get(0).x().equals("44"));
    }

    @Test
    void anOpenIncidentIsHighlightedToTheEnd() {
        Instant start = FROM.plus(Q.multipliedBy(20));
        Chart c = new Chart("24h", day(9, 25), Q, FROM, ZoneOffset.UTC, Locale.ENGLISH,
                List.of(new Chart.Period(start, null)), Chart.Size.WIDE);
        assertEquals(1, c.incidents.size());
        Chart.Span s = c.incidents.get(0);
        assertTrue(s.open());
        assertEquals(Double.parseDouble(c.right()), Double.parseDouble(s.x()) + Double.parseDouble(s.w()), 0.2);
        assertTrue(c.bars.get(25).css().contains("in-incident"));
        assertFalse(c.bars.get(10).css().contains("in-incident"));
    }

    @Test
    void theTextAlternativeSumsHours() {
        Chart c = new Chart("24h", day(9, 25), Q, FROM, ZoneOffset.UTC, Locale.ENGLISH, List.of(), Chart.Size.NARROW);
        assertEquals(24, c.rows.size());
        assertEquals("05:00", c.rows.get(5).label());
        assertEquals(800, c.rows.get(5).count());
        assertEquals(36, c.rows.get(5).usual());
    }

    @Test
    void gridValuesAreRound() {
        assertEquals(4, Chart.niceCeiling(3), 0);
        assertEquals(8, Chart.niceCeiling(7), 0);
        assertEquals(16, Chart.niceCeiling(13), 0);
        assertEquals(600, Chart.niceCeiling(565), 0);
        assertEquals(200, Chart.niceCeiling(200), 0);
    }
}
