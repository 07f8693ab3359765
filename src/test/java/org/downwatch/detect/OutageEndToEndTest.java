package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole path, over real HTTP: many people report a service through the public API, the
 * detector evaluates the minutes, and the level and the incident come out of the public API.
 */
@QuarkusTest
class OutageEndToEndTest {

    static final String SLUG = "france-travail";

    @Inject
    DetectionJob detector;
    @Inject
    AgroalDataSource db;

    @Test
    void reportsThroughTheApiRaiseTheLevelAndOpenAnIncident() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("delete from incident where service_id = (select id from service where slug = '" + SLUG + "')");
            st.execute("delete from service_status where service_id = (select id from service where slug = '" + SLUG + "')");
            st.execute("delete from app_setting where key = '" + DetectionStore.SETTING + "'");
            st.execute("delete from detector_state");
        }
        detector.reset();
        assertTrue(detector.evaluateUntil(Instant.now()));
        given().get("/api/v1/services/{slug}", SLUG).then().statusCode(200).body("status.level", equalTo("none"));

        // one person reporting many times moves nothing: counted once
        String one = address();
        for (int i = 0; i < 5; i++) {
            post(one, "online-procedures");
        }
        // 30 different people (distinct addresses and browsers, on 30 networks: a problem needs 5) report at once
        int base = ThreadLocalRandom.current().nextInt(1 << 16);
        for (int i = 0; i < 30; i++) {
            int net = (base + i * 257) & 0xffff;
            String address = "10." + ((net >> 8) & 0xff) + "." + (net & 0xff) + "." + (i + 1);
            given().header("X-Forwarded-For", address).header("User-Agent", "e2e/" + i).contentType("application/json")
                    .body("{\"problem\": \"" + (i % 3 == 0 ? "login" : "online-procedures") + "\"}")
                    .post("/api/v1/services/{slug}/reports", SLUG).then().statusCode(201);
        }
        // evaluate every minute up to the one the last report fell in
        assertTrue(detector.evaluateUntil(Instant.now().plusSeconds(60)));

        String body = given().get("/api/v1/services/{slug}", SLUG).then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("\"level\":\"problem\""),
                "status after the reports: " + body + "; per-minute counts: " + minutes());
        given().get("/api/v1/services/{slug}", SLUG).then().statusCode(200)
                .body("status.level", equalTo("problem"))
                .body("status.since", notNullValue())
                .body("status.observed", greaterThanOrEqualTo(31))
                .body("status.networks", greaterThanOrEqualTo(25));
        given().get("/api/v1/services?status=problem").then().statusCode(200).body("items.slug", hasItem(SLUG));
        given().get("/api/v1/incidents?service={slug}&state=open", SLUG).then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].service", equalTo(SLUG))
                .body("items[0].reportCount", greaterThanOrEqualTo(31))
                .body("items[0].problems.slug", hasItem("online-procedures"))
                .body("items[0].problems.slug", hasItem("login"));
    }

    private String minutes() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select minute, sum(count) from report_minute where service_id = "
                        + "(select id from service where slug = '" + SLUG + "') group by 1 order by 1")) {
            while (rs.next()) {
                b.append(rs.getString(1)).append('=').append(rs.getInt(2)).append(' ');
            }
        }
        return b.toString();
    }

    static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static void post(String address, String problem) {
        given().header("X-Forwarded-For", address).header("User-Agent", "e2e/same").contentType("application/json")
                .body("{\"problem\": \"" + problem + "\"}").post("/api/v1/services/{slug}/reports", SLUG);
    }

    static void assertTrue(boolean b) {
        org.junit.jupiter.api.Assertions.assertTrue(b);
    }
}
