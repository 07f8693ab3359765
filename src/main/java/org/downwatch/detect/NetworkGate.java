package org.downwatch.detect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct-network rule of detection (issue 22): a level needs reports from at least
 * {@code downwatch.detect.min-networks} distinct wide networks (IPv4 /24, IPv6 /48) within the detector's
 * longest window (an hour), so that one network (or two, three, four) never raises a level, whatever the
 * addresses it holds, while a real crowd, which comes from many networks, is judged as before.
 * <p>
 * It works on what the detector is fed, outside the detector: while a service's last hour comes from fewer
 * networks than that, its minutes are fed with at most as many reports, over the hour, as there are networks
 * (one per network: the {@code fed} count), so that such a spike is neither flagged nor learned (a recurring
 * fake spike is never learned as the service's shape). With at most 4 reports in any window a problem (8 at
 * least) cannot be raised; a {@code problem} verdict with too few networks is still capped at
 * {@code possible} ({@link #cap}), whatever the settings. Minutes without a sketch (history imported, demo
 * data, counts older than the sketches) are "unknown" and fed as they are.
 * <p>
 * Not thread-safe: {@link ServiceDetectors} calls it under {@link DetectionJob}'s lock, except
 * {@link #networks}, which reads what the last fed minute published.
 */
@ApplicationScoped
public class NetworkGate {

    /** A minute of a service with reports or a sketch; {@code sketch} null when its reports have none (unknown). */
    private record Seen(long minute, long[] sketch) {
    }

    private final int minNetworks;
    private final int windowMinutes;
    private final Map<Integer, ArrayDeque<Seen>> recent = new HashMap<>();
    /** Per service, the distinct networks of the window ending at the last fed minute (only services with a known window). */
    private final Map<Integer, Integer> published = new ConcurrentHashMap<>();
    /** Per service, whether the last fed minute was gated. */
    private final Map<Integer, Boolean> gatedNow = new HashMap<>();
    /** The last minute fed, or Long.MIN_VALUE. */
    private long minute = Long.MIN_VALUE;

    @Inject
    NetworkGate(DetectConfig config) {
        this(config.minNetworks(), config.windows().stream().mapToInt(Integer::intValue).max().orElse(60));
    }

    NetworkGate(int minNetworks, int windowMinutes) {
        this.minNetworks = minNetworks;
        this.windowMinutes = windowMinutes;
    }

    /** Distinct wide networks a level needs ({@code downwatch.detect.min-networks}). */
    public int minNetworks() {
        return minNetworks;
    }

    int windowMinutes() {
        return windowMinutes;
    }

    /**
     * The distinct wide networks the reports of the service's last hour (up to the last evaluated minute) come
     * from; empty when unknown (no report in the hour, or counts without sketches).
     */
    public OptionalInt networks(int serviceId) {
        Integer n = published.get(serviceId);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Whether feeding starts right after the last minute fed (else the window must be read again first). */
    boolean continuesAt(long from) {
        return minute != Long.MIN_VALUE && from == minute + 1;
    }

    /** Forgets everything (the detectors start again). */
    void reset() {
        recent.clear();
        gatedNow.clear();
        published.clear();
        minute = Long.MIN_VALUE;
    }

    /** A minute before the fed ones, only to fill the window: its sketches (reports with sketches). */
    void remember(long m, Map<Integer, long[]> sketches) {
        for (Map.Entry<Integer, long[]> e : sketches.entrySet()) {
            recent.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>()).addLast(new Seen(m, e.getValue()));
        }
        minute = m;
    }

    /**
     * The count to feed the service's detector for minute {@code m} ({@code count} reports, their sketch or
     * null), given what the detector was fed over the window so far ({@code fedSince}: the reports it was fed
     * from a minute on). Minutes must come in increasing order for each service; call {@link #endMinute} after
     * the last service of a minute.
     */
    int fed(int serviceId, long m, int count, long[] sketch, java.util.function.LongToIntFunction fedSince) {
        ArrayDeque<Seen> seen = recent.get(serviceId);
        if (seen == null) {
            if (count == 0 && sketch == null) {
                return 0;
            }
            seen = new ArrayDeque<>();
            recent.put(serviceId, seen);
        }
        if (count > 0 || sketch != null) {
            seen.addLast(new Seen(m, sketch));
        }
        while (!seen.isEmpty() && seen.peekFirst().minute() <= m - windowMinutes) {
            seen.removeFirst();
        }
        if (seen.isEmpty()) {
            recent.remove(serviceId);
            published.remove(serviceId);
            gatedNow.remove(serviceId);
            return count;
        }
        long[] union = new long[4];
        boolean known = true;
        for (Seen s : seen) {
            if (s.sketch() == null) {
                known = false;
                break;
            }
            NetworkSketch.union(union, s.sketch());
        }
        if (!known) {
            published.remove(serviceId);
            gatedNow.remove(serviceId);
            return count;
        }
        int networks = NetworkSketch.estimate(union);
        published.put(serviceId, networks);
        boolean gated = networks < minNetworks;
        gatedNow.put(serviceId, gated);
        if (!gated || count == 0) {
            return count;
        }
        // at most one report per network over the window: what the detector was fed of it already counts
        int allowance = networks - fedSince.applyAsInt(m - windowMinutes + 1);
        return Math.max(0, Math.min(count, allowance));
    }

    /** The minute {@code m} was fed for every service. */
    void endMinute(long m) {
        minute = m;
    }

    /** Whether the service's last fed minute had too few networks. */
    boolean gated(int serviceId) {
        return gatedNow.getOrDefault(serviceId, false);
    }

    /**
     * The verdict as detection uses it: a {@code problem} with too few networks is a {@code possible}. Its
     * score stays: it says how rare the counts are for the service (graded, issue 23), not the level.
     */
    Detector.Verdict cap(int serviceId, Detector.Verdict v) {
        if (!v.problem() || !gated(serviceId)) {
            return v;
        }
        return new Detector.Verdict(v.minute(), v.count(), v.expected(), v.upper(), v.score(), Level.POSSIBLE,
                v.onset(), v.observed(), v.windowExpected(), v.windowUpper(), v.windowMinutes());
    }

    /** Reads the sketches of [from, to] for all services, minute by minute, on the caller's transaction. */
    static final class Sketches implements AutoCloseable {
        private final PreparedStatement ps;
        private final ResultSet rs;
        private boolean more;

        Sketches(Connection c, long from, long to) throws SQLException {
            ps = c.prepareStatement("select (extract(epoch from minute) / 60)::bigint, service_id, b0, b1, b2, b3 "
                    + "from report_minute_network where minute >= ? and minute < ? order by 1");
            ps.setFetchSize(50_000);
            ps.setTimestamp(1, new Timestamp(from * 60_000));
            ps.setTimestamp(2, new Timestamp((to + 1) * 60_000));
            rs = ps.executeQuery();
            more = rs.next();
        }

        /** The sketches of minute {@code m} by service (minutes before it are skipped). */
        Map<Integer, long[]> minute(long m) throws SQLException {
            while (more && rs.getLong(1) < m) {
                more = rs.next();
            }
            if (!more || rs.getLong(1) != m) {
                return Collections.emptyMap();
            }
            Map<Integer, long[]> out = new HashMap<>();
            while (more && rs.getLong(1) == m) {
                out.put(rs.getInt(2), new long[] { rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6) });
                more = rs.next();
            }
            return out;
        }

        @Override
        public void close() throws SQLException {
            try {
                rs.close();
            } finally {
                ps.close();
            }
        }
    }
}
