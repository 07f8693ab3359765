package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without quarkus.redis.hosts (the embedded default), limits are in memory and health says so. */
@QuarkusTest
class RateLimitsHealthTest {

    @Test
    void healthSaysTheLimitsAreLocalWithoutRedis() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rate-limits' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rate-limits' }.data.mode", equalTo("local"));
    }
}
