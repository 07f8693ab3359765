package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.ProblemType;
import org.downwatch.catalog.Service;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distinct-network rule through the database and the detection job, on a fixed clock: counts and their
 * network sketches in ({@code report_minute}, {@code report_minute_network}, as the report writer writes
 * them), level, incident, what the detector was fed, and the API and page out.
 */
@QuarkusTest
class NetworkGateTest {

    /** "Now": a Wednesday at 10:00 UTC. */
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
    NetworkGate gate;
    @Inject
    Catalog catalog;
    @Inject
    AgroalDataSource db;

    Service service;
    ProblemType type;

    @BeforeEach
    void cleanSlate() throws Exception {
        // a service without history: 20 reports in 15 minutes are a problem (the floor)
        service = catalog.service("ameli").orElseThrow();
        type = catalog.problemTypes(service.id).get(0);
        sql("delete from incident", "delete from service_status", "delete from report_minute", "delete from report_minute_network",
                "delete from app_setting where key = '" + DetectionStore.SETTING + "'", "delete from detector_state");
        detector.reset();
        assertTrue(detector.evaluateUntil(T));
    }

    /**
     * {@code perMinute} reports a minute for {@code minutes} minutes from T, spread over the networks of the
     * sketch bits {@code bits} (each minute takes the next {@code perMinute} bits, round-robin); evaluated
     * minute by minute.
     */
    void reports(int minutes, int perMinute, int networks) throws Exception {
        int next = 0;
        for (int i = 0; i < minutes; i++) {
            Instant m = T.plusSeconds(60L * i);
            long[] sketch = new long[4];
            for (int k = 0; k < perMinute; k++) {
                int bit = (next++ % networks) * 7 % 256; // distinct bits for up to 256 networks
                sketch[bit >>> 6] |= 1L << (bit & 63);
            }
            try (Connection c = db.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("insert into report_minute (service_id, problem_type_id, minute, count) "
                        + "values (?, ?, ?, ?)")) {
                    ps.setInt(1, service.id);
                    ps.setInt(2, type.id);
                    ps.setTimestamp(3, Timestamp.from(m));
                    ps.setInt(4, perMinute);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("insert into report_minute_network (service_id, minute, b0, b1, b2, b3) "
                        + "values (?, ?, ?, ?, ?, ?)")) {
                    ps.setInt(1, service.id);
                    ps.setTimestamp(2, Timestamp.from(m));
                    for (int w = 0; w < 4; w++) {
                        ps.setLong(3 + w, sketch[w]);
                    }
                    ps.executeUpdate();
                }
            }
            assertTrue(detector.evaluateUntil(m.plusSeconds(65)));
        }
    }

    @Test
    void oneNetworkNeverRaisesALevelNorIsLearned() throws Exception {
        // 50 reports in 10 minutes, all from one /24 or /48 (what the wide cap lets through of 5 such blocks)
        reports(10, 5, 1);
        ServiceStatus s = status.current(service.id);
        assertEquals("none", s.level(), s.toString());
        assertTrue(incidents.openFor(service.id).isEmpty());
        // the detector was fed one report for the network, not 50: nothing of the spike is learned
        assertEquals(1, detectors.detector(service.id).countSince(T.getEpochSecond() / 60 - 60));
        assertEquals(1, gate.networks(service.id).getAsInt());
        given().get("/api/v1/services/{slug}", service.slug).then().statusCode(200)
                .body("status.level", equalTo("none")).body("status.networks", equalTo(1));
        given().get("/services/{slug}?lang=en", service.slug).then().statusCode(200)
                .body(containsString("From a single network in the last hour."))
                .body(containsString("A problem needs reports from at least 5 networks"));
        given().get("/services/{slug}?lang=fr", service.slug).then().statusCode(200)
                .body(containsString("Depuis un seul réseau au cours de la dernière heure."));
    }

    @Test
    void fourNetworksRaiseNoProblem() throws Exception {
        reports(10, 6, 4);
        ServiceStatus s = status.current(service.id);
        assertNotEquals("problem", s.level(), s.toString());
        assertTrue(incidents.openFor(service.id).isEmpty(), "no incident");
        assertEquals(4, gate.networks(service.id).getAsInt());
    }

    @Test
    void aCrowdOnManyNetworksRaisesAProblemAtTheFloor() throws Exception {
        // 25 people on 25 networks within 5 minutes: the floor of a service without history is 20
        reports(5, 5, 25);
        ServiceStatus s = status.current(service.id);
        assertEquals("problem", s.level(), s.toString());
        assertEquals(25, s.observed(), "every report fed: " + s);
        assertTrue(incidents.openFor(service.id).isPresent());
        int networks = gate.networks(service.id).getAsInt();
        assertTrue(networks >= 24 && networks <= 27, "about 25 networks: " + networks);
        given().get("/api/v1/services/{slug}", service.slug).then().statusCode(200)
                .body("status.level", equalTo("problem")).body("status.networks", equalTo(networks));
        given().get("/services/{slug}?lang=en", service.slug).then().statusCode(200)
                .body(containsString("From " + networks + " networks in the last hour."));
        given().get("/services/{slug}?lang=fr", service.slug).then().statusCode(200)
                .body(containsString("Depuis " + networks + " réseaux au cours de la dernière heure."));
    }

    @Test
    void countsWithoutSketchesAreJudgedAsBefore() throws Exception {
        // history imported or demo data: no sketch, no rule (the floor raises the problem as it always did)
        for (int i = 0; i < 5; i++) {
            Instant m = T.plusSeconds(60L * i);
            sql("insert into report_minute (service_id, problem_type_id, minute, count) values (" + service.id + ", " + type.id
                    + ", '" + m + "', 5)");
            assertTrue(detector.evaluateUntil(m.plusSeconds(65)));
        }
        assertEquals("problem", status.current(service.id).level());
        assertTrue(gate.networks(service.id).isEmpty());
        given().get("/api/v1/services/{slug}", service.slug).then().statusCode(200).body("status.networks", nullValue());
    }

    @Test
    void aRestartReadsTheWindowsNetworksAgain() throws Exception {
        reports(3, 5, 1);
        detector.reset(); // a restart: the detectors warm up again (replaying the history), the window is read again
        assertTrue(detector.evaluateUntil(T.plus(Duration.ofMinutes(3)).plusSeconds(65)));
        assertEquals(1, gate.networks(service.id).getAsInt());
        assertEquals("none", status.current(service.id).level());
    }

    void sql(String... statements) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
