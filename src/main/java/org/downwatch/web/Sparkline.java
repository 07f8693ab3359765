package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import java.util.List;
import org.downwatch.detect.SeriesPoint;

/** A tiny report curve for lists (120 x 28): the line and the area under it, plus the baseline. */
@TemplateData
public record Sparkline(String line, String area, String baseline, int max) {

    static final int W = 120, H = 28;

    static Sparkline of(List<SeriesPoint> points) {
        if (points.isEmpty()) {
            return new Sparkline("", "", "", 0);
        }
        double max = 1;
        for (SeriesPoint p : points) {
            max = Math.max(max, p.evaluated() ? Math.max(p.count(), p.baseline()) : p.count());
        }
        int n = points.size();
        StringBuilder line = new StringBuilder(), base = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SeriesPoint p = points.get(i);
            double x = n == 1 ? W : (double) W * i / (n - 1);
            line.append(i == 0 ? "" : " ").append(Chart.fmt(x)).append(',').append(Chart.fmt(y(p.count(), max)));
            if (p.evaluated()) { // the usual line joins the evaluated buckets only
                base.append(base.isEmpty() ? "" : " ").append(Chart.fmt(x)).append(',').append(Chart.fmt(y(p.baseline(), max)));
            }
        }
        String area = "0," + H + " " + line + " " + W + "," + H;
        return new Sparkline(line.toString(), area, base.toString(), (int) max);
    }

    private static double y(double v, double max) {
        return H - 1 - (H - 2) * v / max;
    }
}
