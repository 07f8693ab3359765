package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.downwatch.catalog.Catalog;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;

/** "It works for me" never reaches what the detector reads: its minute counts and baselines' history. */
@QuarkusTest
class WorksIgnoredByDetectionTest {

    @Inject
    DetectionStore store;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Catalog catalog;

    @Inject
    TestData data;

    @Test
    void saysItWorksWithoutChangingTheCountsDetectionReads() throws Exception {
        data.clear();
        int id = catalog.require("chronopost").id;
        long minute = Instant.now().getEpochSecond() / 60;
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "10.250." + (minute % 200) + "." + (10 + i)).header("User-Agent", "test/detect")
                    .contentType("application/json").body("{}").post("/api/v1/services/chronopost/works")
                    .then().statusCode(201);
        }
        assertEquals(5, data.worksTotal("chronopost"), "the signals are stored");
        try (Connection c = dataSource.getConnection()) {
            assertEquals(Map.of(), store.serviceMinutes(c, id, minute - 5, minute + 1), "no minute of the service counts them");
            Map<Integer, Integer> seen = new HashMap<>();
            store.readMinutes(c, minute - 5, minute + 1, (m, counts) -> counts.forEach((s, n) -> seen.merge(s, n, Integer::sum)));
            assertEquals(null, seen.get(id), "nor does the all-services read of the detector");
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "select count(*) from report_minute_network where service_id = " + id + " and minute >= now() - interval '10 minutes'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "nor the sketch of distinct networks the detector's gate reads");
            }
        }
    }
}
