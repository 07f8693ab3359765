package org.downwatch.web;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.downwatch.shared.ProblemMappers;

/**
 * Formatting for the templates: times in the page's zone (its language's: Europe/Paris for French, UTC for
 * English) and language, percentages.
 * <p>
 * A time a visitor reads is written as {@code <time datetime="2026-12-04T06:04:00Z" data-fmt="time">07:04</time>},
 * which {@code /js/downwatch.js} rewrites into the browser's zone (without JavaScript the page's zone stays,
 * and its footer says which). In a template: {@code {at.timeTag(v)}} ("06:04") or {@code {at.whenTag(v)}}
 * ("06:04" today, "Tue 24 Nov, 06:04" another day), or the tag {@code {#time at=x v=v /}}. Inside a message,
 * where a parameter cannot hold markup: {@code {msg:status_updated(at.timeIn(v)).timed}} ({@code timeIn} /
 * {@code whenIn} mark the time, {@code timed} escapes the message and turns the marks into {@code <time>}).
 * The plain {@code time}/{@code when} are for attributes and SVG titles (see {@code tags/chart.html}: those
 * carry {@code data-at} for the script instead).
 */
@TemplateExtension
public class TemplateExtensions {

    /** Marks of a time inside a message: MARK iso SEP fmt SEP text END (private-use characters). */
    static final char MARK = '\uE000', SEP = '\uE001', END = '\uE002';

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

    /** {@code <time datetime data-fmt="time">06:04</time>}: the script writes it in the browser's zone. */
    static RawString timeTag(Instant i, Visitor v) {
        return i == null ? new RawString("") : new RawString(tag(i, "time", time(i, v)));
    }

    /** {@code <time datetime data-fmt="when">…</time>}: "06:04" today, the day too another day. */
    static RawString whenTag(Instant i, Visitor v) {
        return i == null ? new RawString("") : new RawString(tag(i, "when", when(i, v)));
    }

    /** A marked {@link #time} for a message parameter; the message must end in {@code .timed}. */
    static String timeIn(Instant i, Visitor v) {
        return i == null ? "" : MARK + iso(i) + SEP + "time" + SEP + time(i, v) + END;
    }

    /** A marked {@link #when} for a message parameter; the message must end in {@code .timed}. */
    static String whenIn(Instant i, Visitor v) {
        return i == null ? "" : MARK + iso(i) + SEP + "when" + SEP + when(i, v) + END;
    }

    /** A message with marked times: escaped as Qute would, each mark turned into its {@code <time>} element. */
    static RawString timed(String message) {
        StringBuilder b = new StringBuilder(message.length() + 64);
        int i = 0;
        while (i < message.length()) {
            int start = message.indexOf(MARK, i);
            int sep1 = start < 0 ? -1 : message.indexOf(SEP, start);
            int sep2 = sep1 < 0 ? -1 : message.indexOf(SEP, sep1 + 1);
            int end = sep2 < 0 ? -1 : message.indexOf(END, sep2);
            if (end < 0) {
                b.append(escape(message.substring(i).replace(String.valueOf(MARK), "").replace(String.valueOf(SEP), "")
                        .replace(String.valueOf(END), "")));
                break;
            }
            b.append(escape(message.substring(i, start)));
            b.append("<time datetime=\"").append(escape(message.substring(start + 1, sep1))).append("\" data-fmt=\"")
                    .append(escape(message.substring(sep1 + 1, sep2))).append("\">").append(escape(message.substring(sep2 + 1, end)))
                    .append("</time>");
            i = end + 1;
        }
        return new RawString(b.toString());
    }

    private static String tag(Instant i, String fmt, String text) {
        return "<time datetime=\"" + iso(i) + "\" data-fmt=\"" + fmt + "\">" + escape(text) + "</time>";
    }

    private static String escape(String s) {
        return ProblemMappers.escape(s);
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
