package org.downwatch.api;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import org.downwatch.shared.ProblemException;

/**
 * Query parameters parsed by hand, so that a bad value is a 400 naming the parameter (JAX-RS would
 * answer 404 for an unconvertible {@code int} or {@code Instant}).
 */
final class Params {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final Set<Duration> BUCKETS = Set.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1));

    private Params() {
    }

    /** A page number (from 1) and a size (1 to 100, default 20). */
    record PageRequest(int page, int size) {

        int index() {
            return page - 1;
        }

        long offset() {
            return (long) index() * size;
        }
    }

    /** A time range [from, to). */
    record Range(Instant from, Instant to) {
    }

    static PageRequest page(String page, String size) {
        int p = integer("page", page, 1);
        if (p < 1) {
            throw ProblemException.invalid("page", "must be 1 or more");
        }
        int s = integer("size", size, DEFAULT_SIZE);
        if (s < 1 || s > MAX_SIZE) {
            throw ProblemException.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
        return new PageRequest(p, s);
    }

    static int integer(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(name, "must be a whole number");
        }
    }

    /** Dates outside these bounds are a 400 (PostgreSQL's own range ends in 4714 BC: a 500 otherwise). */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** An ISO-8601 instant ({@code 2026-01-05T06:00:00Z}, or with an offset) from 1970 to 9999, null when absent. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Instant i;
        try {
            i = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            try {
                i = Instant.parse(v);
            } catch (DateTimeException e2) {
                throw ProblemException.invalid(name, "must be an ISO-8601 date-time with a time zone, e.g. 2026-01-05T06:00:00Z");
            }
        }
        if (i.isBefore(EARLIEST) || i.isAfter(LATEST)) {
            throw ProblemException.invalid(name, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return i;
    }

    /**
     * A bounded range: {@code to} defaults to now (to the second), {@code from} to 24 hours before
     * {@code to}, rounded down to {@code align} so that the first bucket is whole; {@code from} must be
     * before {@code to} and the range at most 31 days.
     */
    static Range range(String from, String to, Instant now, Duration align) {
        Instant t = instant("to", to);
        Instant f = instant("from", from);
        if (t == null) {
            t = now.truncatedTo(ChronoUnit.SECONDS);
        }
        if (f == null) {
            long size = align.getSeconds();
            f = Instant.ofEpochSecond(Math.floorDiv(t.minus(DEFAULT_RANGE).getEpochSecond(), size) * size);
        }
        if (!f.isBefore(t)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        if (Duration.between(f, t).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.invalid("from", "the range from..to must be at most 31 days");
        }
        return new Range(f, t);
    }

    /** An optional range for filters: each end may be absent; when both are there, from must be before to. */
    static Range openRange(String from, String to) {
        Instant f = instant("from", from);
        Instant t = instant("to", to);
        if (f != null && t != null && !f.isBefore(t)) {
            throw ProblemException.invalid("from", "must be before to");
        }
        return new Range(f, t);
    }

    static Duration bucket(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofMinutes(5);
        }
        try {
            Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            if (BUCKETS.contains(d)) {
                return d;
            }
        } catch (DateTimeException e) {
            // same answer as an unsupported duration
        }
        throw ProblemException.invalid("bucket", "must be one of PT1M, PT5M, PT15M, PT1H");
    }

    /** One of {@code allowed} (case-insensitive), null when absent. */
    static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw ProblemException.invalid(name, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v;
    }
}
