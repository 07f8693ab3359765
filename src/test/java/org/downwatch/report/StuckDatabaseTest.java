package org.downwatch.report;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database stops answering without closing anything (a hung host, a dropped network): report
 * requests are answered 503 with Retry-After within downwatch.report.timeout (2 s here) instead of
 * waiting forever, and the flusher, freed by the JDBC socket timeout, writes again once it answers.
 */
@QuarkusTest
@TestProfile(StuckDatabaseTest.Stuck.class)
class StuckDatabaseTest {

    public static class Stuck implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StuckDatabase.class));
        }
    }

    /** Gives up after 10 s: a request that is never answered fails the test instead of hanging it. */
    private static io.restassured.specification.RequestSpecification patient() {
        return RestAssured.given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 10_000)));
    }

    @Test
    void answers503WithinTheTimeoutWhileTheDatabaseHangsThenWritesAgain() {
        ReportResourceTest.report(Clients.next(), "test/stuck", ReportResourceTest.PARCELS).then().statusCode(201);
        StuckDatabase.freeze();
        try {
            // the first waits on the stuck batch, the next ones in the queue behind it: all are answered
            for (int i = 0; i < 3; i++) {
                patient().header("X-Forwarded-For", Clients.next()).header("User-Agent", "test/stuck")
                        .contentType("application/json").body(ReportResourceTest.PARCELS)
                        .post(ReportResourceTest.PATH, "la-poste")
                        .then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", matchesPattern("[1-9]\\d*"))
                        .body("status", equalTo(503));
            }
        } finally {
            StuckDatabase.thaw();
        }
        await("reporting resumes once the database answers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ReportResourceTest.report(Clients.next(), "test/stuck", ReportResourceTest.PARCELS).statusCode(),
                        equalTo(201));
    }
}
