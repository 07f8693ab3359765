package org.downwatch.web;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Rows the page tests put in the detector's tables and the per-minute counts (the pages only read
 * them), with plain JDBC so that each test states exactly what it shows.
 */
@ApplicationScoped
public class TestRows {

    private final AgroalDataSource ds;

    TestRows(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Forgets every verdict, incident and count: each test starts from a quiet site. */
    public void clear() {
        exec("delete from incident_problem", "delete from incident", "delete from service_status", "delete from report_minute");
    }

    public void status(String service, String level, Instant since, int observed, double expected, double upper) {
        update("insert into service_status (service_id, level, since, evaluated_at, observed, expected, upper, window_minutes, score) "
                + "values ((select id from service where slug = ?), ?, ?, ?, ?, ?, ?, 15, 0.9) "
                + "on conflict (service_id) do update set level = excluded.level, since = excluded.since, "
                + "observed = excluded.observed, expected = excluded.expected, upper = excluded.upper",
                service, level, since == null ? null : t(since), t(Instant.now()), observed, expected, upper);
    }

    public void count(String service, String problem, Instant minute, int count) {
        update("insert into report_minute (service_id, problem_type_id, minute, count) values "
                + "((select id from service where slug = ?), (select id from problem_type where slug = ?), date_trunc('minute', ?::timestamptz), ?) "
                + "on conflict (service_id, minute, problem_type_id) do update set count = report_minute.count + excluded.count",
                service, problem, t(minute), count);
    }

    public void incident(String service, Instant start, Instant end, int peak) {
        incident(service, start, end, peak, 100);
    }

    public void incident(String service, Instant start, Instant end, int peak, int reports) {
        update("insert into incident (service_id, started_at, detected_at, peak_at, peak_count, peak_score, ended_at, report_count) "
                + "values ((select id from service where slug = ?), ?, ?, ?, ?, 0.9, ?, ?)",
                service, t(start), t(start.plusSeconds(300)), t(start.plusSeconds(600)), peak,
                end == null ? null : t(end), reports);
    }

    public void incidentProblem(String service, String problem, int count) {
        update("insert into incident_problem (incident_id, problem_type_id, count) select i.id, pt.id, ? from incident i, problem_type pt "
                + "where i.service_id = (select id from service where slug = ?) and pt.slug = ? order by i.started_at desc limit 1",
                count, service, problem);
    }

    /** Forgets who reported the service recently, so that the next report from anyone counts. */
    public void forgetReporters(String service) {
        update("delete from report_network where service_id = (select id from service where slug = ?)", service);
    }

    /** Reports counted for the service in the last hour, from the per-minute counts. */
    public int lastHour(String service) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select coalesce(sum(count), 0) from report_minute where service_id = (select id from service where slug = ?) "
                        + "and minute >= now() - interval '1 hour'")) {
            ps.setString(1, service);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime t(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
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
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
