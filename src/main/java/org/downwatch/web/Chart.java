package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.downwatch.detect.SeriesPoint;

/**
 * The report-spike chart as geometry, ready for the SVG template: one bar per bucket, the baseline
 * as a shaded band, the upper bound as a line, incidents as highlighted spans, hour ticks in the
 * visitor's zone, and a few numbers for the text alternative. Plain Java: tested without Quarkus.
 */
@TemplateData
public final class Chart {

    /** Wide for screens and embedding; narrow for phones, where a scaled-down wide chart is too flat to read. */
    public enum Size {
        WIDE(720, 250, 44), NARROW(400, 250, 36);

        final int width, height;
        final double left;

        Size(int width, int height, double left) {
            this.width = width;
            this.height = height;
            this.left = left;
        }
    }

    static final double RIGHT = 8, TOP = 18, BOTTOM = 26;
    private final int chartWidth, chartHeight;
    private final double plotLeft, plotW, plotH;
    public final String size;

    public record Bar(String x, String y, String w, String h, Instant start, Instant end, int count, String css) {
    }

    /** A tick of the time axis at {@code at}, labelled in the page's zone (the page's script relabels it). */
    public record Tick(String x, String label, boolean major, Instant at) {
    }

    public record Grid(String y, String label) {
    }

    /** An incident's highlighted span; its label sits inside the span's right end when near the chart's right edge. */
    public record Span(String x, String w, boolean open, String labelX, String anchor) {
    }

    /** A row of the text alternative: a period (hour or day) and its reports. */
    public record Row(Instant start, String label, int count, Long usual) {
    }

    /** An incident's time span (end null while open). */
    public record Period(Instant start, Instant end) {
    }

    public final String range;
    public final Duration bucket;
    public final Instant from;
    public final Instant to;
    public final List<Bar> bars = new ArrayList<>();
    public final List<Tick> ticks = new ArrayList<>();
    public final List<Grid> grid = new ArrayList<>();
    public final List<Span> incidents = new ArrayList<>();
    public final List<Row> rows = new ArrayList<>();
    /** Polygons of the baseline band (from the axis up to the baseline), one per run of evaluated buckets. */
    public final List<String> bands = new ArrayList<>();
    /** Polylines of the upper bound where it fits in the chart; none when the detector has given none. */
    public final List<String> uppers = new ArrayList<>();
    /** The highest upper bound when it is above the chart's top (and so not drawn there), else 0. */
    public final long upperOffTop;
    private boolean hasUpperValue;
    public final int total;
    public final int peakCount;
    public final Instant peakAt;
    public final long usualPerBucket;

    public Chart(String range, List<SeriesPoint> points, Duration bucket, Instant from, ZoneId zone, Locale locale,
            List<Period> periods, Size size) {
        this.chartWidth = size.width;
        this.chartHeight = size.height;
        this.plotLeft = size.left;
        this.plotW = chartWidth - plotLeft - RIGHT;
        this.plotH = chartHeight - TOP - BOTTOM;
        this.size = size.name().toLowerCase(Locale.ROOT);
        this.range = range;
        this.bucket = bucket;
        long seconds = bucket.getSeconds();
        this.from = points.isEmpty() ? Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), seconds) * seconds)
                : points.get(0).start();
        this.to = points.isEmpty() ? this.from.plus(bucket) : points.get(points.size() - 1).start().plus(bucket);
        double span = Duration.between(this.from, this.to).getSeconds();

        // the scale is for the counts and the usual band; the unusual-above line joins it only when it is
        // close (within half again), else it is drawn where it fits and the caption says it is off the top
        // the detector tests windows of up to 15 minutes: an upper bound of an hour's sum is none it tests, so
        // the hourly (7-day) chart draws no threshold and marks no bar as above it; the incidents say it there
        boolean withUpper = seconds <= 15 * 60;
        double max = 0, upperMax = 0;
        int sum = 0, peak = -1, evaluated = 0;
        Instant peakTime = null;
        double baselineSum = 0;
        for (SeriesPoint p : points) {
            max = Math.max(max, p.count());
            if (p.evaluated()) {
                max = Math.max(max, p.baseline());
                upperMax = withUpper ? Math.max(upperMax, p.upper()) : 0;
                baselineSum += p.baseline();
                evaluated++;
            }
            sum += p.count();
            if (p.count() > peak) {
                peak = p.count();
                peakTime = p.start();
            }
        }
        this.total = sum;
        this.peakCount = Math.max(peak, 0);
        this.peakAt = peakTime;
        this.usualPerBucket = evaluated == 0 ? 0 : Math.round(baselineSum / evaluated);
        double scale = Math.max(max, 4);
        double top = niceCeiling(upperMax <= scale * 1.5 ? Math.max(scale, upperMax) : scale);
        this.upperOffTop = upperMax > top ? Math.round(upperMax) : 0;
        double step = top / 4;
        for (int i = 0; i <= 4; i++) {
            double v = step * i;
            grid.add(new Grid(fmt(y(v, top)), v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v)));
        }

        double slot = plotW * seconds / span;
        double gap = slot > 4 ? 1 : slot > 2 ? 0.5 : 0;
        // the band and the line are broken where the detector gave no baseline, and the line where it is off the top
        StringBuilder bandPts = null;
        StringBuilder upperPts = null;
        for (int i = 0; i < points.size(); i++) {
            SeriesPoint p = points.get(i);
            double x = x(p.start(), span);
            double h = plotH * p.count() / top;
            boolean inIncident = inside(p.start(), bucket, periods);
            boolean high = withUpper && p.evaluated() && p.upper() > 0 && p.count() > p.upper();
            String css = "bar" + (inIncident ? " in-incident" : "") + (high ? " high" : "") + (p.partial() ? " partial" : "");
            bars.add(new Bar(fmt(x + gap / 2), fmt(TOP + plotH - h), fmt(Math.max(slot - gap, 0.5)), fmt(h), p.start(),
                    p.start().plus(bucket), p.count(), css));
            boolean last = i == points.size() - 1;
            if (p.evaluated()) {
                double yb = y(p.baseline(), top);
                if (bandPts == null) {
                    bandPts = new StringBuilder(fmt(x)).append(',').append(fmt(TOP + plotH)).append(' ').append(fmt(x))
                            .append(',').append(fmt(yb));
                }
                bandPts.append(' ').append(fmt(x + slot / 2)).append(',').append(fmt(yb));
                double bandEnd = x + slot;
                if (last || !points.get(i + 1).evaluated()) {
                    bandPts.append(' ').append(fmt(bandEnd)).append(',').append(fmt(yb)).append(' ').append(fmt(bandEnd))
                            .append(',').append(fmt(TOP + plotH));
                    bands.add(bandPts.toString());
                    bandPts = null;
                }
            }
            boolean drawn = withUpper && p.evaluated() && p.upper() > 0 && p.upper() <= top;
            if (drawn) {
                double yu = y(p.upper(), top);
                if (upperPts == null) {
                    upperPts = new StringBuilder(fmt(x)).append(',').append(fmt(yu));
                }
                upperPts.append(' ').append(fmt(x + slot / 2)).append(',').append(fmt(yu));
                SeriesPoint next = last ? null : points.get(i + 1);
                if (next == null || !next.evaluated() || next.upper() <= 0 || next.upper() > top) {
                    upperPts.append(' ').append(fmt(x + slot)).append(',').append(fmt(yu));
                    uppers.add(upperPts.toString());
                    upperPts = null;
                }
            }
            hasUpperValue |= drawn || withUpper && p.evaluated() && p.upper() > 0;
        }

        for (Period period : periods) {
            Instant s = period.start().isBefore(this.from) ? this.from : period.start();
            Instant e = period.end() == null || period.end().isAfter(this.to) ? this.to : period.end();
            if (s.isBefore(e)) {
                double x0 = x(s, span), x1 = x(e, span);
                boolean nearRight = x0 > plotLeft + plotW * 0.8;
                incidents.add(new Span(fmt(x0), fmt(Math.max(x1 - x0, 2)), period.end() == null,
                        fmt(nearRight ? plotLeft + plotW - 2 : x0 + 3), nearRight ? "end" : "start"));
            }
        }

        ticks(zone, locale, span);
        rows(points, zone, locale);
    }

    private void ticks(ZoneId zone, Locale locale, double span) {
        boolean week = bucket.toHours() >= 1 && Duration.between(from, to).toDays() > 2;
        DateTimeFormatter hour = DateTimeFormatter.ofPattern("HH:mm", locale);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("EEE d", locale);
        ZonedDateTime t = from.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        if (week) {
            t = from.atZone(zone).truncatedTo(ChronoUnit.DAYS);
        }
        while (!t.toInstant().isAfter(to)) {
            Instant i = t.toInstant();
            if (!i.isBefore(from)) {
                if (week) {
                    ticks.add(new Tick(fmt(x(i, span)), narrow() ? Integer.toString(t.getDayOfMonth()) : t.format(day), true, i));
                } else if (t.getHour() % (narrow() ? 6 : 3) == 0 && t.getMinute() == 0) {
                    String label = t.getHour() == 0 ? t.format(day) : t.format(hour);
                    ticks.add(new Tick(fmt(x(i, span)), label, t.getHour() % 6 == 0, i));
                } else {
                    ticks.add(new Tick(fmt(x(i, span)), "", false, i));
                }
            }
            t = week ? t.plusDays(1) : t.plusHours(1);
        }
    }

    /** Hourly (24 h) or daily (7 days) totals in the visitor's zone, for the text alternative. */
    private void rows(List<SeriesPoint> points, ZoneId zone, Locale locale) {
        boolean daily = Duration.between(from, to).toDays() > 2;
        DateTimeFormatter f = daily ? DateTimeFormatter.ofPattern("EEE d MMM", locale) : DateTimeFormatter.ofPattern("HH:mm", locale);
        Map<ZonedDateTime, long[]> sums = new LinkedHashMap<>();
        for (SeriesPoint p : points) {
            ZonedDateTime k = p.start().atZone(zone).truncatedTo(daily ? ChronoUnit.DAYS : ChronoUnit.HOURS);
            long[] s = sums.computeIfAbsent(k, x -> new long[3]);
            s[0] += p.count();
            if (p.evaluated()) {
                s[1] += Math.round(p.baseline() * 1000);
                s[2]++;
            }
        }
        sums.forEach((k, s) -> rows.add(new Row(k.toInstant(), k.format(f), (int) s[0],
                s[2] == 0 ? null : Math.round(s[1] / 1000.0))));
    }

    public boolean narrow() {
        return "narrow".equals(size);
    }

    /** Whether the detector gave an upper bound anywhere (drawn, or off the top of the chart). */
    public boolean hasUpper() {
        return hasUpperValue;
    }

    public boolean week() {
        return "7d".equals(range);
    }

    public int width() {
        return chartWidth;
    }

    public int height() {
        return chartHeight;
    }

    /** Left edge and bottom of the plot, for axis lines. */
    public String left() {
        return fmt(plotLeft);
    }

    public String right() {
        return fmt(plotLeft + plotW);
    }

    public String bottom() {
        return fmt(TOP + plotH);
    }

    public String top() {
        return fmt(TOP);
    }

    public String plotHeight() {
        return fmt(plotH);
    }

    public String tickEnd() {
        return fmt(TOP + plotH + 4);
    }

    /** Where tick labels sit. */
    public String labelY() {
        return fmt(TOP + plotH + 17);
    }

    private double x(Instant t, double span) {
        return plotLeft + plotW * Duration.between(from, t).getSeconds() / span;
    }

    private double y(double v, double top) {
        return TOP + plotH - plotH * v / top;
    }

    static boolean inside(Instant start, Duration bucket, List<Period> periods) {
        Instant end = start.plus(bucket);
        for (Period p : periods) {
            if (p.start().isBefore(end) && (p.end() == null || p.end().isAfter(start))) {
                return true;
            }
        }
        return false;
    }

    /** A round number at least {@code v} whose quarters read well (4, 8, 12, 16, 20, 40, 60, 80...). */
    static double niceCeiling(double v) {
        double pow = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] { 1, 1.2, 1.6, 2, 4, 6, 8, 10 }) {
            if (m * pow >= v) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    static String fmt(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
