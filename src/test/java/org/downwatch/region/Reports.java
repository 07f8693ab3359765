package org.downwatch.region;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.Dependent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Raw reports with a place, written straight into the report table (the report feature owns the real
 * writes) so that each test of the "where" breakdown states exactly where its reports come from.
 */
@Dependent
public class Reports {

    private final AgroalDataSource ds;

    Reports(AgroalDataSource ds) {
        this.ds = ds;
    }

    /** Forgets every raw report of the service, and makes sure the partitions around today exist. */
    public void clear(String service) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("select ensure_report_partitions(current_date - 40, current_date + 1)");
            st.execute("delete from report where service_id = (select id from service where slug = '" + service + "')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} reports of the service's first problem type at {@code at}, from this place (each part may be null). */
    public void add(String service, Instant at, String country, String city, String postcode, int n) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into report (service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select s.id, (select problem_type_id from service_problem_types where service_id = s.id order by position limit 1),
                       ?, ?, ?, ?, 'api', decode(md5(random()::text), 'hex')
                from service s, generate_series(1, ?) where s.slug = ?""")) {
            ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(2, country);
            ps.setString(3, city);
            ps.setString(4, postcode);
            ps.setInt(5, n);
            ps.setString(6, service);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
