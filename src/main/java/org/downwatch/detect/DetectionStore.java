package org.downwatch.detect;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.downwatch.detect.IncidentTracker.Tracked;

/**
 * All of live detection's SQL. Plain JDBC: the hot path is a few statements per minute, whatever the
 * number of services. The callers own the transactions (one per evaluation), except {@link #saveStates}.
 * Minutes are epoch minutes.
 */
@ApplicationScoped
public class DetectionStore {

    /** Advisory lock key of the evaluation: "downwatc" in ASCII. */
    static final long LOCK_KEY = 0x646f776e77617463L;
    /** Advisory lock key of saving the detectors' state: "dwstate" in ASCII. */
    static final long SAVE_KEY = 0x6477737461746500L;
    /** Rows per batch when saving or reading the detectors' state. */
    private static final int STATE_BATCH = 200;
    /** The {@code app_setting} holding the last evaluated minute, cluster-wide. */
    static final String SETTING = "detect.evaluated-until";

    private final AgroalDataSource dataSource;

    DetectionStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A connection in a transaction of the caller's. */
    Connection transaction() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /** Takes the evaluation's advisory lock for the transaction; false when another instance holds it. */
    boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The last evaluated minute, cluster-wide, or {@code Long.MIN_VALUE}. */
    long evaluatedUntil(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select value from app_setting where key = ?")) {
            ps.setString(1, SETTING);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Instant.parse(rs.getString(1)).getEpochSecond() / 60 : Long.MIN_VALUE;
            }
        }
    }

    void setEvaluatedUntil(Connection c, long minute) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into app_setting (key, value, updated_at) values (?, ?, now()) "
                + "on conflict (key) do update set value = excluded.value, updated_at = now()")) {
            ps.setString(1, SETTING);
            ps.setString(2, Instant.ofEpochSecond(minute * 60).toString());
            ps.executeUpdate();
        }
    }

    /** The history was rewritten: nothing was evaluated, and the saved states were learned from what is gone. */
    void forgetEvaluations() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("delete from app_setting where key = '" + SETTING + "'");
            st.execute("delete from detector_state");
        }
    }

    /** A row of {@code detector_state}. */
    record SavedState(int serviceId, long minute, String key, byte[] state) {
    }

    interface SavedStateVisitor {
        /** Answers false to stop reading. */
        boolean visit(SavedState s);
    }

    /** Reads the saved states one by one, until the visitor says stop. */
    void readStates(Connection c, SavedStateVisitor visitor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select service_id, (extract(epoch from minute) / 60)::bigint, settings, "
                + "state from detector_state")) {
            ps.setFetchSize(STATE_BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!visitor.visit(new SavedState(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getBytes(4)))) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Replaces the saved states by {@code states} (of services that exist) at {@code minute}, under the
     * settings {@code key}, in its own transaction; nothing when the saved ones are newer (another instance
     * evaluated further). {@code states} is read once, lazily: a state is encoded as it is written.
     * Answers the bytes written, or -1 when nothing was.
     */
    long saveStates(long minute, String key, Iterable<Map.Entry<Integer, byte[]>> states) throws SQLException {
        long bytes = 0;
        try (Connection c = transaction()) {
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("select pg_advisory_xact_lock(" + SAVE_KEY + ")");
                    try (ResultSet rs = st.executeQuery("select max(extract(epoch from minute) / 60)::bigint from detector_state")) {
                        rs.next();
                        long saved = rs.getLong(1);
                        if (!rs.wasNull() && saved > minute) {
                            c.rollback();
                            return -1;
                        }
                    }
                    st.execute("delete from detector_state");
                }
                try (PreparedStatement ps = c.prepareStatement("insert into detector_state (service_id, minute, settings, state) "
                        + "select ?, ?, ?, ? where exists (select 1 from service where id = ?)")) {
                    int n = 0;
                    Timestamp at = ts(minute);
                    for (Map.Entry<Integer, byte[]> s : states) {
                        bytes += s.getValue().length;
                        ps.setInt(1, s.getKey());
                        ps.setTimestamp(2, at);
                        ps.setString(3, key);
                        ps.setBytes(4, s.getValue());
                        ps.setInt(5, s.getKey());
                        ps.addBatch();
                        if (++n % STATE_BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return bytes;
    }

    interface MinuteVisitor {
        /** The reports of {@code minute} per service id (services without reports are absent). */
        void visit(long minute, Map<Integer, Integer> counts);
    }

    /** Reads the per-minute counts of [from, to] for all services (one query), minute by minute, every minute. */
    void readMinutes(Connection c, long from, long to, MinuteVisitor visitor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select (extract(epoch from minute) / 60)::bigint, service_id, sum(count)::int "
                + "from report_minute where minute >= ? and minute < ? group by 1, 2 order by 1")) {
            ps.setFetchSize(50_000);
            ps.setTimestamp(1, ts(from));
            ps.setTimestamp(2, ts(to + 1));
            try (ResultSet rs = ps.executeQuery()) {
                Map<Integer, Integer> counts = new HashMap<>();
                boolean more = rs.next();
                for (long m = from; m <= to; m++) {
                    counts.clear();
                    while (more && rs.getLong(1) == m) {
                        counts.put(rs.getInt(2), rs.getInt(3));
                        more = rs.next();
                    }
                    visitor.visit(m, counts);
                }
            }
        }
    }

    /** One service's per-minute counts of [from, to] (epoch minutes to reports; minutes without reports absent). */
    Map<Long, Integer> serviceMinutes(Connection c, int serviceId, long from, long to) throws SQLException {
        Map<Long, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select (extract(epoch from minute) / 60)::bigint, sum(count)::int "
                + "from report_minute where service_id = ? and minute >= ? and minute < ? group by 1")) {
            ps.setInt(1, serviceId);
            ps.setTimestamp(2, ts(from));
            ps.setTimestamp(3, ts(to + 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    /** The open incidents, by service id (the unique partial index allows one per service). */
    Map<Integer, Tracked> openIncidents(Connection c) throws SQLException {
        Map<Integer, Tracked> open = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, service_id, extract(epoch from started_at)::bigint / 60, "
                + "extract(epoch from detected_at)::bigint / 60, extract(epoch from coalesce(peak_at, started_at))::bigint / 60, "
                + "coalesce(peak_count, 0), coalesce(peak_score, 0), report_count from incident where ended_at is null");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Tracked t = new Tracked();
                t.id = rs.getLong(1);
                t.started = rs.getLong(3);
                t.detected = rs.getLong(4);
                t.peakAt = rs.getLong(5);
                t.peakCount = rs.getInt(6);
                t.peakScore = rs.getDouble(7);
                t.reportCount = rs.getInt(8);
                t.dirty = false;
                open.put(rs.getInt(2), t);
            }
        }
        return open;
    }

    /**
     * Writes an incident (inserted, with its id set, or updated) and its reports per problem type, and
     * marks it clean; nothing when it is new and the service has another open incident (written by
     * another instance).
     */
    void writeIncident(Connection c, int serviceId, Tracked t) throws SQLException {
        if (t.id == null) {
            try (PreparedStatement ps = c.prepareStatement("insert into incident (service_id, started_at, detected_at, peak_at, "
                    + "peak_count, peak_score, ended_at, report_count) values (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "on conflict do nothing returning id")) {
                ps.setInt(1, serviceId);
                ps.setTimestamp(2, ts(t.started));
                ps.setTimestamp(3, ts(t.detected));
                ps.setTimestamp(4, ts(t.peakAt));
                ps.setInt(5, t.peakCount);
                ps.setDouble(6, t.peakScore);
                ps.setTimestamp(7, t.ended == null ? null : ts(t.ended));
                ps.setInt(8, t.reportCount);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    t.id = rs.getLong(1);
                }
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("update incident set peak_at = ?, peak_count = ?, peak_score = ?, "
                    + "ended_at = ?, report_count = ? where id = ?")) {
                ps.setTimestamp(1, ts(t.peakAt));
                ps.setInt(2, t.peakCount);
                ps.setDouble(3, t.peakScore);
                ps.setTimestamp(4, t.ended == null ? null : ts(t.ended));
                ps.setInt(5, t.reportCount);
                ps.setLong(6, t.id);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement del = c.prepareStatement("delete from incident_problem where incident_id = ?");
                PreparedStatement ins = c.prepareStatement("insert into incident_problem (incident_id, problem_type_id, count) "
                        + "select ?, problem_type_id, sum(count) from report_minute where service_id = ? and minute >= ? "
                        + "and minute < ? group by problem_type_id")) {
            del.setLong(1, t.id);
            del.executeUpdate();
            ins.setLong(1, t.id);
            ins.setInt(2, serviceId);
            ins.setTimestamp(3, ts(t.started));
            ins.setTimestamp(4, ts(t.countedUntil()));
            ins.executeUpdate();
        }
        t.dirty = false;
    }

    /** The verdict of a service at the evaluated minute. */
    record Evaluated(int serviceId, Detector.Verdict verdict) {
    }

    /** Writes {@code service_status} of the services evaluated at {@code minute} (that still exist), in one statement. */
    void writeStatus(Connection c, long minute, Collection<Evaluated> evaluated) throws SQLException {
        int n = evaluated.size();
        Integer[] ids = new Integer[n];
        String[] levels = new String[n];
        Timestamp[] since = new Timestamp[n];
        Integer[] observed = new Integer[n];
        Double[] expected = new Double[n];
        Double[] upper = new Double[n];
        Integer[] window = new Integer[n];
        Double[] score = new Double[n];
        int i = 0;
        for (Evaluated e : evaluated) {
            Detector.Verdict v = e.verdict();
            ids[i] = e.serviceId();
            levels[i] = v.level().wire();
            since[i] = v.onset() >= 0 ? ts(v.onset()) : null;
            observed[i] = v.observed();
            expected[i] = v.windowExpected();
            upper[i] = (double) v.windowUpper();
            window[i] = v.windowMinutes();
            score[i] = Math.max(0, v.score());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into service_status (service_id, level, since, evaluated_at, observed, "
                + "expected, upper, window_minutes, score) select u.id, u.level, u.since, ?, u.observed, u.expected, u.upper, u.win, u.score "
                + "from unnest(?::int[], ?::text[], ?::timestamptz[], ?::int[], ?::float8[], ?::float8[], ?::int[], ?::float8[]) "
                + "as u(id, level, since, observed, expected, upper, win, score) "
                + "where exists (select 1 from service s where s.id = u.id) "
                + "on conflict (service_id) do update set level = excluded.level, since = excluded.since, "
                + "evaluated_at = excluded.evaluated_at, observed = excluded.observed, expected = excluded.expected, "
                + "upper = excluded.upper, window_minutes = excluded.window_minutes, score = excluded.score")) {
            ps.setTimestamp(1, ts(minute));
            ps.setArray(2, c.createArrayOf("int4", ids));
            ps.setArray(3, c.createArrayOf("text", levels));
            ps.setArray(4, c.createArrayOf("timestamptz", since));
            ps.setArray(5, c.createArrayOf("int4", observed));
            ps.setArray(6, c.createArrayOf("float8", expected));
            ps.setArray(7, c.createArrayOf("float8", upper));
            ps.setArray(8, c.createArrayOf("int4", window));
            ps.setArray(9, c.createArrayOf("float8", score));
            ps.executeUpdate();
        }
    }

    private static Timestamp ts(long minute) {
        return Timestamp.from(Instant.ofEpochSecond(minute * 60));
    }
}
