package org.downwatch.testing;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.Dependent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.downwatch.web.PageCache;

/**
 * The rows the API and page tests read, put straight into the detector's tables and the per-minute counts
 * (those features own the writes) with plain JDBC, so that each test states exactly what it shows.
 * <p>
 * Times are relative to {@link #now()}, one minute-aligned instant fixed when a test starts (a new
 * instance per test): rows a test inserts "now" and "an hour ago" stay in the same minutes whatever the
 * clock does while the test runs.
 */
@Dependent
public class TestData {

    private final AgroalDataSource ds;
    private Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    private final PageCache pages;

    TestData(AgroalDataSource ds, PageCache pages) {
        this.ds = ds;
        this.pages = pages;
    }

    /** The test's reference time: the start of the minute the test started in. */
    public Instant now() {
        return now;
    }

    /**
     * Forgets every verdict, incident and count and the pages' snapshot (they are rendered from the
     * database until a minute is evaluated again), and fixes {@link #now()} anew: a quiet site.
     */
    public void clear() {
        now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        pages.reset();
        exec("delete from incident_problem", "delete from incident", "delete from service_status", "delete from report_minute",
                "delete from works_minute", "delete from service_notice");
    }

    /** Deletes one service's incidents (so that a new open one does not clash with an old one). */
    public void clearIncidents(String service) {
        update("delete from incident where service_id = (select id from service where slug = ?)", service);
    }

    /** Replaces the service's verdict, evaluated at {@link #now()} over a 15-minute window. */
    public void status(String service, String level, Instant since, int observed, double expected, double upper) {
        update("insert into service_status (service_id, level, since, evaluated_at, observed, expected, upper, window_minutes, score) "
                + "values ((select id from service where slug = ?), ?, ?, ?, ?, ?, ?, 15, 0.9) "
                + "on conflict (service_id) do update set level = excluded.level, since = excluded.since, "
                + "evaluated_at = excluded.evaluated_at, observed = excluded.observed, expected = excluded.expected, "
                + "upper = excluded.upper",
                service, level, t(since), t(now), observed, expected, upper);
    }

    /** Sets the count of one problem type in the minute that holds {@code minute}. */
    public void count(String service, String problem, Instant minute, int count) {
        update("insert into report_minute (service_id, problem_type_id, minute, count) values "
                + "((select id from service where slug = ?), (select id from problem_type where slug = ?), ?, ?) "
                + "on conflict (service_id, minute, problem_type_id) do update set count = excluded.count",
                service, problem, t(minute.truncatedTo(ChronoUnit.MINUTES)), count);
    }

    /** Sets the "it works for me" count of the minute that holds {@code minute}. */
    public void works(String service, Instant minute, int count) {
        update("insert into works_minute (service_id, minute, count) values ((select id from service where slug = ?), ?, ?) "
                + "on conflict (service_id, minute) do update set count = excluded.count",
                service, t(minute.truncatedTo(ChronoUnit.MINUTES)), count);
    }

    /** All "it works for me" signals ever counted for the service. */
    public int worksTotal(String service) {
        return (int) queryLong("select coalesce(sum(count), 0) from works_minute where service_id = "
                + "(select id from service where slug = ?)", service);
    }

    /** All reports ever counted for the service, in the per-minute counts (what detection reads). */
    public int reportsTotal(String service) {
        return (int) queryLong("select coalesce(sum(count), 0) from report_minute where service_id = "
                + "(select id from service where slug = ?)", service);
    }

    /**
     * Inserts an incident ({@code end} null: open), detected 5 minutes after its start and peaking 15
     * minutes after it; returns its id.
     */
    public long incident(String service, Instant start, Instant end, int peakCount, int reportCount) {
        return queryLong("insert into incident (service_id, started_at, detected_at, peak_at, peak_count, peak_score, ended_at, "
                + "report_count) values ((select id from service where slug = ?), ?, ?, ?, ?, 0.99, ?, ?) returning id",
                service, t(start), t(start.plusSeconds(300)), t(start.plusSeconds(900)), peakCount, t(end), reportCount);
    }

    /** The incident's counts per problem type. */
    public void incidentProblems(long incident, Map<String, Integer> counts) {
        counts.forEach((problem, count) -> update("insert into incident_problem (incident_id, problem_type_id, count) "
                + "values (?, (select id from problem_type where slug = ?), ?)", incident, problem, count));
    }

    /** Forgets who reported the service recently, so that the next report from anyone counts. */
    public void forgetReporters(String service) {
        update("delete from report_network where service_id = (select id from service where slug = ?)", service);
    }

    /** Reports counted for the service in the hour before the database's clock, from the per-minute counts. */
    public int lastHour(String service) {
        return (int) queryLong("select coalesce(sum(count), 0) from report_minute where service_id = "
                + "(select id from service where slug = ?) and minute >= now() - interval '1 hour'", service);
    }

    private static OffsetDateTime t(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private void exec(String... sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long queryLong(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        return ps;
    }
}
