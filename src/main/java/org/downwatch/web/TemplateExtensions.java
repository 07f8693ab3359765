package org.downwatch.web;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Formatting for the templates: times in the visitor's zone and language, percentages. */
@TemplateExtension
public class TemplateExtensions {

    private TemplateExtensions() {
    }

    /** "06:04". */
    static String time(Instant i, Visitor v) {
        return i == null ? "" : DateTimeFormatter.ofPattern("HH:mm", v.locale()).format(i.atZone(v.zone()));
    }

    /** "06:04" today, "Tue 24 Nov, 06:04" / "mar. 24 nov., 06:04" another day. */
    static String when(Instant i, Visitor v) {
        if (i == null) {
            return "";
        }
        ZonedDateTime z = i.atZone(v.zone());
        if (z.toLocalDate().equals(LocalDate.now(v.zone()))) {
            return time(i, v);
        }
        String pattern = z.getYear() == LocalDate.now(v.zone()).getYear() ? "EEE d MMM, HH:mm" : "d MMM yyyy, HH:mm";
        return DateTimeFormatter.ofPattern(pattern, v.locale()).format(z);
    }

    /** Machine-readable time for {@code <time datetime>}. */
    static String iso(Instant i) {
        return i == null ? "" : i.toString();
    }

    /** "42 %" in French, "42%" in English; "<1%" for a small but real share. */
    static String percent(double share, Visitor v) {
        long p = Math.round(share * 100);
        String n = share > 0 && p == 0 ? "<1" : Long.toString(p);
        return v.fr() ? n + "\u00a0%" : n + "%";
    }

    /** Width of a share's bar in percent, at least a sliver when the share is not zero. */
    static String barWidth(double share) {
        return share <= 0 ? "0" : Chart.fmt(Math.max(share * 100, 1));
    }

    /** Whole number for "usually about N". */
    static long rounded(double d) {
        return Math.round(d);
    }
}
