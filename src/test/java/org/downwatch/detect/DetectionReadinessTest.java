package org.downwatch.detect;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DetectionReadinessTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void readinessSaysWhetherThisInstanceDetects() {
        // the tests' profile runs no live detector: readiness says so and stays UP
        given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'detection' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'detection' }.data.detection", equalTo("off on this instance"));
    }

    @Test
    void anInstanceIsCaughtUpWithinTwoMinutesOfTheEvaluatedMinuteOnly() {
        assertTrue(DetectionReadiness.caughtUp(Long.MIN_VALUE, Long.MIN_VALUE), "nothing evaluated yet");
        assertFalse(DetectionReadiness.caughtUp(Long.MIN_VALUE, 1000), "still warming up");
        assertTrue(DetectionReadiness.caughtUp(1000, 1000));
        assertTrue(DetectionReadiness.caughtUp(998, 1000), "a follower feeds a minute or two after the leader");
        assertFalse(DetectionReadiness.caughtUp(990, 1000), "ten minutes behind");
    }
}
