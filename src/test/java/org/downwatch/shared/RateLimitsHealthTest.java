package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Without quarkus.redis.hosts (the embedded default), limits are in memory and health says so. */
@QuarkusTest
class RateLimitsHealthTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void healthSaysTheLimitsAreLocalWithoutRedis() {
        given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'rate-limits' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rate-limits' }.data.mode", equalTo("local"));
    }
}
