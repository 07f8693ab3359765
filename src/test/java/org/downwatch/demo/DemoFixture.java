package org.downwatch.demo;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.Dependent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** The demo's data in a test: a fresh history, the La Poste outage's times, and forgetting it all afterwards. */
@Dependent
public class DemoFixture {

    /** When the demo's La Poste outage starts and ends, as seen from a time. */
    public record Outage(Instant start, Instant end) {
    }

    private final DemoData demo;
    private final AgroalDataSource ds;

    DemoFixture(DemoData demo, AgroalDataSource ds) {
        this.demo = demo;
        this.ds = ds;
    }

    /** Replaces the demo reports (and every per-minute count) by the history of [from, to). */
    public long regenerate(Instant from, Instant to) throws SQLException {
        return demo.regenerate(from, to);
    }

    public static Outage laPoste(Instant now) {
        return DemoTraffic.outagesAround(now).stream().filter(o -> o.service().equals("la-poste"))
                .map(o -> new Outage(o.start(), o.end())).findFirst().orElseThrow();
    }

    /** Deletes the demo's reports and its mark, so that later tests see only their own. */
    public void forget() {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("delete from report where source = 'demo'");
            st.execute("delete from app_setting where key = 'demo.until'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
