package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.ProblemType;
import org.downwatch.catalog.Service;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detector through the database, on a fixed clock: per-minute counts in, level and incident out.
 * The reports are written with SQL here (report + report_minute, as the report endpoint does in one
 * transaction) so that minutes in the past can be replayed; {@link OutageEndToEndTest} takes the same
 * path over HTTP, from the report API to the status and incident APIs.
 */
@QuarkusTest
class DetectionJobTest {

    /** "Now" for the test: a Wednesday at 10:00 UTC. */
    static final Instant T = Instant.parse("2026-03-04T10:00:00Z");

    @Inject
    DetectionJob detector;
    @Inject
    ServiceDetectors detectors;
    @Inject
    StatusReader status;
    @Inject
    IncidentRepository incidents;
    @Inject
    SeriesReader series;
    @Inject
    Catalog catalog;
    @Inject
    AgroalDataSource db;
    @Inject
    DetectConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    jakarta.enterprise.event.Event<MinuteEvaluated> evaluated;

    Service service;
    List<ProblemType> types;

    @BeforeEach
    void cleanSlate() throws Exception {
        service = catalog.service("la-poste").orElseThrow();
        types = catalog.problemTypes(service.id);
        sql("delete from incident", "delete from service_status", "delete from report_minute", "delete from report_minute_network", "delete from report",
                "delete from app_setting where key = '" + DetectionStore.SETTING + "'", "delete from detector_state",
                "select ensure_report_partitions(date '2026-02-15', date '2026-03-06')");
        detector.reset();
    }

    @Test
    void runsWithTheDefaultsTheBenchUses() {
        // the test profile overrides no tuning: the configured settings are DetectorSettings.defaults()
        assertEquals(Detector.stateKey(DetectorSettings.defaults(), 1), Detector.stateKey(config.settings(), 1));
    }

    @Test
    void timesTheEvaluationsThatWrite() throws Exception {
        long before = metrics.timer("downwatch.detect.evaluation").count();
        report(T.minusSeconds(120), types.get(0), 1);
        assertTrue(evaluate(T));
        assertEquals(before + 1, metrics.timer("downwatch.detect.evaluation").count(), "the first evaluation");
        assertTrue(evaluate(T.plusSeconds(30)), "the same minute again");
        assertEquals(before + 1, metrics.timer("downwatch.detect.evaluation").count(), "nothing new to write, nothing timed");
        assertTrue(evaluate(T.plusSeconds(60)));
        assertEquals(before + 2, metrics.timer("downwatch.detect.evaluation").count(), "the next minute");
    }

    @Test
    void flagsAnOutageAndKeepsItsIncident() throws Exception {
        // four days of history: about one report a minute
        sql("insert into report_minute (service_id, problem_type_id, minute, count) select " + service.id + ", "
                + types.get(0).id + ", m, 1 + (extract(minute from m)::int % 3 = 0)::int - (extract(minute from m)::int % 3 = 1)::int "
                + "from generate_series(timestamptz '" + T.minus(Duration.ofDays(4)) + "', timestamptz '" + T.minusSeconds(60)
                + "', interval '1 minute') m");
        assertTrue(evaluate(T));
        ServiceStatus calm = status.current(service.id);
        assertEquals("none", calm.level());
        assertEquals(T.minusSeconds(60), calm.evaluatedAt());
        assertEquals(15.0, calm.expected(), 3.0, "about 15 reports in 15 minutes usually");
        assertTrue(incidents.openFor(service.id).isEmpty());

        // the outage: 12 people a minute from T, reporting two problem types
        Instant detected = null;
        for (int i = 0; i < 10; i++) {
            Instant m = T.plusSeconds(60L * i);
            report(m, types.get(0), 8);
            report(m, types.get(1), 4);
            evaluate(m.plusSeconds(65));
            if (detected == null && "problem".equals(status.current(service.id).level())) {
                detected = m;
            }
        }
        assertNotNull(detected, "the outage was flagged");
        assertTrue(!detected.isAfter(T.plusSeconds(120)), "flagged within 3 minutes: " + detected);
        ServiceStatus s = status.current(service.id);
        assertEquals("problem", s.level());
        assertEquals(T, s.since(), "since the onset");
        assertTrue(s.observed() > s.upper(), s.toString());
        Incident open = incidents.openFor(service.id).orElseThrow();
        assertEquals(T, open.startedAt, "the onset, not the detection");
        assertEquals(detected, open.detectedAt);
        assertEquals(120, open.reportCount);
        assertEquals(12, open.peakCount);
        Map<Integer, Integer> problems = incidents.problems(open.id);
        assertEquals(80, problems.get(types.get(0).id));
        assertEquals(40, problems.get(types.get(1).id));

        // the same minute again, from "another instance": nothing changes
        assertTrue(evaluate(T.plusSeconds(600 + 65)));
        assertEquals(1, incidents.count(service.id, null, null, null));

        // back to normal; the incident closes after 30 quiet minutes
        for (int i = 10; i < 90; i++) {
            Instant m = T.plusSeconds(60L * i);
            report(m, types.get(0), 1);
            evaluate(m.plusSeconds(65));
        }
        assertEquals("none", status.current(service.id).level());
        incidents.getEntityManager().clear(); // the test's session still holds the open incident
        Incident closed = incidents.findById(open.id);
        assertNotNull(closed.endedAt, "closed");
        // the windows (up to 30 minutes) keep the evidence a while after the counts went back to normal
        assertTrue(closed.endedAt.isAfter(T.plusSeconds(600)) && closed.endedAt.isBefore(T.plusSeconds(45 * 60)),
                "ended when the evidence faded: " + closed.endedAt);
        assertTrue(closed.reportCount >= 120 && closed.reportCount < 160, "reports from start to end: " + closed.reportCount);
        assertEquals(1, incidents.count(service.id, null, null, null));

        // the chart shows the baseline the detector used
        List<SeriesPoint> points = series.series(service.id, T.minus(Duration.ofHours(2)), T, Duration.ofMinutes(5));
        assertEquals(24, points.size());
        assertEquals(5.0, points.get(0).baseline(), 1.0);
        assertTrue(points.get(0).upper() > points.get(0).baseline());
        // the hour in progress (8 minutes of it at 10:07:30): its baseline is for those 8 minutes, as its count
        List<SeriesPoint> hours = series.series(service.id, T.minus(Duration.ofHours(1)), T.plusSeconds(3600), Duration.ofHours(1),
                T.plusSeconds(7 * 60 + 30));
        assertEquals(2, hours.size());
        assertTrue(hours.get(1).partial());
        double perMinute = hours.get(0).baseline() / 60;
        assertEquals(8 * perMinute, hours.get(1).baseline(), 2 * perMinute, "baseline of the hour so far: " + hours.get(1));
    }

    @Test
    void onlyOneInstanceEvaluatesAMinute() throws Exception {
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, DetectionStore.LOCK_KEY);
                ps.execute();
            }
            assertFalse(evaluate(T), "the other instance holds the lock");
            other.rollback();
        }
        assertTrue(evaluate(T));
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select value from app_setting where key = '" + DetectionStore.SETTING + "'")) {
            assertTrue(rs.next());
            assertEquals(T.minusSeconds(60).toString(), rs.getString(1));
        }
    }

    @Test
    void aRestartRestoresWhatTheDetectorsLearnedInsteadOfReplayingIt() throws Exception {
        // four days of history at about one report a minute, evaluated: the state is saved at once
        oneReportAMinuteForFourDays();
        assertTrue(evaluate(T));
        assertEquals(15.0, status.current(service.id).expected(), 1.0);
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*), count(distinct minute), min(minute), min(settings) from detector_state")) {
            rs.next();
            assertEquals(catalog.services().size(), rs.getInt(1), "every service's state");
            assertEquals(1, rs.getInt(2), "at one minute");
            assertEquals(Timestamp.from(T.minusSeconds(60)), rs.getTimestamp(3));
            assertEquals(Detector.stateKey(config.settings(), 1), rs.getString(4));
        }

        // the history is gone (nothing to replay), the instance restarts: the baseline is still there,
        // and the new minutes are fed on top of it
        sql("delete from report_minute");
        detector.reset();
        report(T, types.get(0), 1);
        assertTrue(evaluate(T.plusSeconds(60)));
        ServiceStatus restored = status.current(service.id);
        assertEquals(T, restored.evaluatedAt());
        assertEquals(15.0, restored.expected(), 1.0, "the baseline learned before the restart");
        assertEquals("none", restored.level());
        assertEquals(1.0, detectors.detector(service.id).expectedRate(T.minus(Duration.ofDays(1)).getEpochSecond() / 60), 0.1,
                "the chart's baseline of yesterday is restored too");

        // a state learned under other settings, or older than the replay, is not restored: the history is replayed
        sql("update detector_state set settings = 'v0'");
        detector.reset();
        assertTrue(evaluate(T.plusSeconds(120)));
        assertTrue(status.current(service.id).expected() < 5, "no history, no state: " + status.current(service.id));
    }

    @Test
    void otherInstancesFollowFromWhatTheEvaluatingOneSavedAndTakeOverWithIt() throws Exception {
        oneReportAMinuteForFourDays();
        // this instance evaluates (and saves at once, after its warm-up); a second one starts beside it
        assertTrue(evaluate(T));
        long minute = T.getEpochSecond() / 60 - 600;
        Instance follower = anotherInstance();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                ps.setLong(1, DetectionStore.LOCK_KEY);
                ps.execute();
            }
            assertFalse(follower.job().evaluateUntil(T.plusSeconds(60)), "the first instance still evaluates");
            c.rollback();
        }
        // it follows from the saved state, so that the charts it serves have the same baseline
        assertNotNull(follower.detectors().detector(service.id), "the follower warmed up");
        assertEquals(detectors.detector(service.id).expectedRate(minute), follower.detectors().detector(service.id).expectedRate(minute));
        // a third one gets the lock but finds the minute evaluated: it follows too
        Instance third = anotherInstance();
        assertTrue(third.job().evaluateUntil(T));
        assertNotNull(third.detectors().detector(service.id), "an instance with nothing to write warmed up");
        assertEquals(detectors.detector(service.id).expectedRate(minute), third.detectors().detector(service.id).expectedRate(minute));

        // the first instance is gone; the history too (nothing to replay): a new one takes over with what the
        // first one learned
        sql("delete from report_minute");
        report(T, types.get(0), 1);
        Instance next = anotherInstance();
        assertTrue(next.job().evaluateUntil(T.plusSeconds(60)));
        assertEquals(T, status.current(service.id).evaluatedAt());
        assertEquals(15.0, status.current(service.id).expected(), 1.0, "the first instance's baseline");
        assertEquals(detectors.detector(service.id).expectedRate(minute), next.detectors().detector(service.id).expectedRate(minute));
    }

    @Test
    void aNewServiceIsFlaggedByTheFloor() throws Exception {
        Service quiet = catalog.service("ameli").orElseThrow();
        List<ProblemType> t = catalog.problemTypes(quiet.id);
        assertTrue(evaluate(T));
        for (int i = 0; i < 5; i++) {
            Instant m = T.plusSeconds(60L * i);
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "insert into report_minute (service_id, problem_type_id, minute, count) values (?, ?, ?, 5)")) {
                ps.setInt(1, quiet.id);
                ps.setInt(2, t.get(0).id);
                ps.setTimestamp(3, Timestamp.from(m));
                ps.executeUpdate();
            }
            evaluate(m.plusSeconds(65));
        }
        assertEquals("problem", status.current(quiet.id).level(), "25 people in 5 minutes, no history");
        assertNull(incidents.openFor(quiet.id).orElseThrow().endedAt);
    }

    /** Four days of history before T: one report a minute. */
    void oneReportAMinuteForFourDays() throws Exception {
        sql("insert into report_minute (service_id, problem_type_id, minute, count) select " + service.id + ", "
                + types.get(0).id + ", m, 1 from generate_series(timestamptz '" + T.minus(Duration.ofDays(4)) + "', timestamptz '"
                + T.minusSeconds(60) + "', interval '1 minute') m");
    }

    /** Another instance of the application: its own detectors in memory, the same database. */
    record Instance(DetectionJob job, ServiceDetectors detectors) {
    }

    Instance anotherInstance() {
        DetectionStore store = new DetectionStore(db);
        ServiceDetectors d = new ServiceDetectors(store, config, catalog, new NetworkGate(config));
        return new Instance(new DetectionJob(d, store, config, metrics, evaluated), d);
    }

    boolean evaluate(Instant now) throws Exception {
        return detector.evaluateUntil(now);
    }

    /** {@code n} reports of one problem type in minute {@code m}: raw reports and their per-minute count. */
    void report(Instant m, ProblemType type, int n) throws Exception {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into report (service_id, problem_type_id, received_at, source, "
                    + "reporter_hash) select ?, ?, cast(? as timestamptz) + (g * interval '1 second'), 'api', sha256(random()::text::bytea) "
                    + "from generate_series(1, ?) g")) {
                ps.setInt(1, service.id);
                ps.setInt(2, type.id);
                ps.setTimestamp(3, Timestamp.from(m));
                ps.setInt(4, n);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into report_minute (service_id, problem_type_id, minute, count) "
                    + "values (?, ?, ?, ?) on conflict (service_id, minute, problem_type_id) do update set count = report_minute.count + excluded.count")) {
                ps.setInt(1, service.id);
                ps.setInt(2, type.id);
                ps.setTimestamp(3, Timestamp.from(m));
                ps.setInt(4, n);
                ps.executeUpdate();
            }
        }
    }

    void sql(String... statements) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
