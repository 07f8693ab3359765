package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The application with quarkus.redis.hosts set: its report and API limits live in the machine's Redis. */
@QuarkusTest
@TestProfile(SharedRateLimitTest.WithRedis.class)
class SharedRateLimitTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    // a constant: the profile is read in another class loader than the test's (keys are deleted after each test)
    static final String PREFIX = "downwatch-test:app:";

    public static class WithRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:6379",
                    "downwatch.rate-limit.redis-prefix", PREFIX,
                    "downwatch.report.rate-limit", "3",
                    "downwatch.api.rate-limit.anonymous", "3");
        }
    }

    @Inject
    RedisAPI redis;

    private Response hget(String key, String field) {
        return redis.hget(key, field).toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void healthSaysTheLimitsAreSharedAndStaysUp() {
        given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'rate-limits' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rate-limits' }.data.mode", equalTo("shared"))
                .body("checks.name", hasItem("rate-limits"));
    }

    @Test
    void reportLimitIsTakenFromRedisBucketOfTheClientNetwork() throws InterruptedException {
        // a /24 of its own (198.18.0.0/15): a /24 counts at most 10 reports per service per window
        String client = "198.18." + (int) (Math.random() * 256) + "." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", client).header("User-Agent", "test/shared-" + i).contentType("application/json")
                    .body("{\"problem\": \"parcel-tracking\"}").post("/api/v1/services/la-poste/reports")
                    .then().statusCode(201);
        }
        given().header("X-Forwarded-For", client).contentType("application/json")
                .body("{\"problem\": \"parcel-tracking\"}").post("/api/v1/services/la-poste/reports")
                .then().statusCode(429);
        String key = PREFIX + "report:" + client;
        Response tokens = null;
        for (int i = 0; i < 100 && tokens == null; i++) { // the bucket is written after the answer
            tokens = hget(key, "t");
            Thread.sleep(tokens == null ? 20 : 0);
        }
        assertTrue(tokens != null && Double.parseDouble(tokens.toString()) < 1, "bucket " + key + ": " + tokens);
        Response ttl = redis.pttl(key).toCompletionStage().toCompletableFuture().join();
        assertTrue(ttl.toLong() > 0, "the bucket expires: " + ttl);
        redis.del(List.of(key)).toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void apiLimitIsSharedUnderItsOwnName() {
        String client = "192.0.2." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", client).get("/api/v1/categories").then().statusCode(200);
        }
        given().header("X-Forwarded-For", client).get("/api/v1/categories").then().statusCode(429);
        String key = PREFIX + "api:ip:" + client;
        Response at = null;
        for (int i = 0; i < 100 && at == null; i++) {
            at = hget(key, "at");
        }
        assertEquals(true, at != null, "bucket " + key);
        redis.del(List.of(key)).toCompletionStage().toCompletableFuture().join();
    }
}
