package org.downwatch.report;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Forgets what only de-duplication needed once the window has passed: the rows of {@code report_network}
 * whose newest counted report is older than the window, the reporter hash of older reports, and the
 * per-minute sketches of distinct networks ({@code report_minute_network}) older than {@link #SKETCH_DAYS}.
 */
@ApplicationScoped
class ReportNetworkCleanup {

    private static final Logger LOG = Logger.getLogger(ReportNetworkCleanup.class);

    /** The detector's replay (28 days) and a week: what a warm-up from the history reads, no more. */
    static final int SKETCH_DAYS = 35;

    private final AgroalDataSource dataSource;
    private final ReportClock clock;
    private final Duration window;

    ReportNetworkCleanup(AgroalDataSource dataSource, ReportClock clock, ReportConfig config) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.window = config.window();
    }

    /** Every few minutes, on any instance: a row past the window decides nothing any more. */
    @Scheduled(every = "5m", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cleanUp() {
        cleanUp(clock.now().minus(window));
    }

    int cleanUp(Instant before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "delete from report_network where counted_at_ms[array_upper(counted_at_ms, 1)] < ?");
                PreparedStatement forget = c.prepareStatement("update report set reporter_hash = null "
                        + "where received_at >= ? and received_at < ? and reporter_hash is not null");
                PreparedStatement sketches = c.prepareStatement("delete from report_minute_network where minute < ?")) {
            c.setAutoCommit(true);
            st.setLong(1, before.toEpochMilli());
            int deleted = st.executeUpdate();
            // the last day before the window only (one or two daily partitions): the job runs every 5 minutes,
            // and the migration forgot everything older
            forget.setObject(1, OffsetDateTime.ofInstant(before.minus(Duration.ofDays(1)), ZoneOffset.UTC));
            forget.setObject(2, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            int forgotten = forget.executeUpdate();
            sketches.setObject(1, OffsetDateTime.ofInstant(before.minus(Duration.ofDays(SKETCH_DAYS)), ZoneOffset.UTC));
            sketches.executeUpdate();
            LOG.debugf("Report de-duplication clean-up: %d rows, %d reporter hashes forgotten", deleted, forgotten);
            return deleted;
        } catch (SQLException e) {
            LOG.warnf("Report de-duplication clean-up failed: %s", e.getMessage());
            return 0;
        }
    }
}
