package org.downwatch.detect;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;

/**
 * The backtest: parses a {@code timestamp,count} CSV series and runs it through a fresh
 * {@link Detector} with the live settings. Plain Java; the resource only maps errors to HTTP.
 * Causal by construction: rows are fed in order and each verdict is taken before the next row is read,
 * and the bucket comes from the first two rows (or the request), never from later ones.
 */
public final class Backtest {

    /** One answered row; {@code timestamp} is echoed as sent. */
    public record Row(String timestamp, int count, double baseline, int upper, double score, int anomaly) {
    }

    /** Input the backtest cannot read: the physical line (header = 1) and what is wrong. */
    public static final class BadInput extends RuntimeException {
        public final int line;

        BadInput(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** More rows than allowed. */
    public static final class TooManyRows extends RuntimeException {
        TooManyRows(String message) {
            super(message, null, false, false);
        }
    }

    private Backtest() {
    }

    /**
     * Runs the series. {@code bucketMinutes} null: the spacing of the first two rows (one minute when
     * there is a single row).
     */
    public static List<Row> run(String body, Integer bucketMinutes, DetectorSettings settings, int maxRows) {
        List<String> stamps = new ArrayList<>();
        List<long[]> rows = new ArrayList<>(); // {epoch second, count, line}
        parse(body, maxRows, stamps, rows);
        int bucket;
        if (bucketMinutes != null) {
            bucket = bucketMinutes;
        } else if (rows.size() >= 2) {
            long spacing = rows.get(1)[0] - rows.get(0)[0];
            if (spacing % 60 != 0 || spacing / 60 < 1 || spacing / 60 > 60) {
                throw new BadInput((int) rows.get(1)[2],
                        "the spacing of the first two rows must be a whole number of minutes from 1 to 60");
            }
            bucket = (int) (spacing / 60);
        } else {
            bucket = 1;
        }
        Detector detector = new Detector(settings, bucket);
        List<Row> out = new ArrayList<>(rows.size());
        long first = rows.isEmpty() ? 0 : rows.get(0)[0];
        for (int i = 0; i < rows.size(); i++) {
            long[] r = rows.get(i);
            if (i > 0) {
                long d = r[0] - rows.get(i - 1)[0];
                if ((r[0] - first) % (bucket * 60L) != 0 || d <= 0) {
                    throw new BadInput((int) r[2], "timestamps must increase by a multiple of the bucket (PT" + bucket + "M)");
                }
            }
            Detector.Verdict v = detector.step(Math.floorDiv(r[0], 60), (int) r[1]);
            out.add(new Row(stamps.get(i), (int) r[1], Math.round(v.expected() * 1000) / 1000.0, v.upper(),
                    Math.round(v.score() * 10000) / 10000.0, v.problem() ? 1 : 0));
        }
        return out;
    }

    private static void parse(String body, int maxRows, List<String> stamps, List<long[]> rows) {
        int pos = 0;
        if (body.startsWith("\uFEFF")) {
            pos = 1;
        }
        int line = 0;
        boolean header = true;
        long previous = Long.MIN_VALUE;
        while (pos < body.length()) {
            int end = body.indexOf('\n', pos);
            int next = end < 0 ? body.length() : end + 1;
            if (end < 0) {
                end = body.length();
            }
            if (end > pos && body.charAt(end - 1) == '\r') {
                end--;
            }
            line++;
            String text = body.substring(pos, end);
            pos = next;
            if (header) {
                if (!text.trim().equalsIgnoreCase("timestamp,count")) {
                    throw new BadInput(line, "the header must be timestamp,count");
                }
                header = false;
                continue;
            }
            if (text.isBlank()) {
                if (pos >= body.length() || body.substring(pos).isBlank()) {
                    break; // trailing blank lines
                }
                throw new BadInput(line, "empty line");
            }
            int comma = text.indexOf(',');
            if (comma < 0 || text.indexOf(',', comma + 1) >= 0) {
                throw new BadInput(line, "expected two columns: timestamp,count");
            }
            String stamp = text.substring(0, comma).trim();
            String count = text.substring(comma + 1).trim();
            long at;
            try {
                at = parseInstant(stamp).getEpochSecond();
            } catch (DateTimeException e) {
                throw new BadInput(line, "not an ISO-8601 timestamp: " + shorten(stamp));
            }
            long n;
            try {
                n = Long.parseLong(count);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new BadInput(line, "the count must be a non-negative integer: " + shorten(count));
            }
            if (at <= previous) {
                throw new BadInput(line, "timestamps must increase");
            }
            previous = at;
            if (rows.size() >= maxRows) {
                throw new TooManyRows("at most " + maxRows + " rows");
            }
            stamps.add(stamp);
            rows.add(new long[] { at, n, line });
        }
        if (header) {
            throw new BadInput(1, "the header must be timestamp,count");
        }
    }

    /** ISO-8601 with an offset, or without one (UTC). */
    static Instant parseInstant(String s) {
        TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
        if (t instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((LocalDateTime) t).toInstant(ZoneOffset.UTC);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
