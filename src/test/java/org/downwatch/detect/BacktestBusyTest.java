package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backtests beyond the instance's concurrency are refused at once (here the limit is 0: all of them). */
@QuarkusTest
@TestProfile(BacktestBusyTest.NoRoom.class)
class BacktestBusyTest {

    public static class NoRoom implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("downwatch.detect.backtest-concurrency", "0");
        }
    }

    @Test
    void refusesABacktestBeyondTheConcurrencyWith503AndRetryAfter() {
        given().contentType("text/csv").body("timestamp,count\n2026-01-05T06:00:00Z,1\n2026-01-05T06:05:00Z,2\n")
                .when().post("/api/v1/backtest").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9]\\d*")).body("status", equalTo(503));
    }
}
