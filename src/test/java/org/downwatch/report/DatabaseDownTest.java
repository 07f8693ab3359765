package org.downwatch.report;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * When PostgreSQL refuses the application (its connections killed, new ones refused), reports are
 * answered 503 with Retry-After, nothing is acknowledged, and reporting resumes when it is back.
 * Its own profile: the application instance whose connections are cut is not shared with other tests.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.OwnInstance.class)
class DatabaseDownTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    public static class OwnInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.acquisition-timeout", "2S");
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @org.eclipse.microprofile.health.Readiness
    ReportWriting writing;

    @Test
    void answers503WithRetryAfterWhileTheDatabaseIsDown() throws Exception {
        long before = ReportResourceTest.report(Clients.next(), "test/down", ReportResourceTest.PARCELS)
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Databases.cutOff(url);
        try {
            for (int i = 0; i < 2; i++) { // a killed pooled connection, then a refused new one
                ReportResourceTest.report(Clients.next(), "test/down", ReportResourceTest.PARCELS).then()
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", matchesPattern("[1-9]\\d*"))
                        .body("status", equalTo(503));
            }
            assertFalse(writing.writing(), "readiness is down while reports cannot be written");
            io.restassured.RestAssured.given().get(ready).then().statusCode(503)
                    .body("checks.find { it.name == 'report-writing' }.status", equalTo("DOWN"));
        } finally {
            Databases.restore(url);
        }
        // 503 until the pool has reconnected
        await("reporting resumes").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> ReportResourceTest.report(Clients.next(), "test/down", ReportResourceTest.PARCELS).statusCode(), equalTo(201));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from report where id = " + before)) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the report acknowledged before the outage is there");
        }
        assertTrue(writing.writing(), "readiness is up again once a batch went through");
    }
}
