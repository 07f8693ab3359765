package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Limits small enough to hit, and an admin token, in a profile of their own. */
@QuarkusTest
@TestProfile(ApiRateLimitTest.SmallLimits.class)
class ApiRateLimitTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("downwatch.api.rate-limit.anonymous", "3",
                    "downwatch.api.rate-limit.api-key", "6",
                    "downwatch.api.admin-token", "test-admin-token");
        }
    }

    private static final AtomicInteger CLIENTS = new AtomicInteger(1);

    /** A client address of its own (the tests connect through loopback, a trusted proxy). */
    private static String newClient() {
        return "198.51.100." + CLIENTS.getAndIncrement();
    }

    @Test
    void answers429OverTheLimitWithRetryAfterAndRateLimitHeaders() {
        String client = newClient();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", client).get("/api/v1/categories").then().statusCode(200)
                    .header("RateLimit-Limit", equalTo("3"))
                    .header("RateLimit-Remaining", equalTo(Integer.toString(2 - i)))
                    .header("RateLimit-Reset", notNullValue());
        }
        Response r = given().header("X-Forwarded-For", client).get("/api/v1/services/la-poste");
        r.then().statusCode(429).contentType(containsString("application/problem+json"))
                .body("status", equalTo(429))
                .header("RateLimit-Limit", equalTo("3")).header("RateLimit-Remaining", equalTo("0"))
                .header("RateLimit-Reset", notNullValue());
        assertTrue(Long.parseLong(r.header("Retry-After")) >= 1, "Retry-After: " + r.header("Retry-After"));
        // another client is not affected
        given().header("X-Forwarded-For", newClient()).get("/api/v1/categories").then().statusCode(200);
    }

    @Test
    void countsErrorsAndConditionalRequestsToo() {
        String client = newClient();
        given().header("X-Forwarded-For", client).get("/api/v1/services/nope").then().statusCode(404)
                .header("RateLimit-Remaining", equalTo("2"));
    }

    @Test
    void anApiKeyRaisesTheLimit() {
        String key = given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"name\": \"dashboard\"}").post("/api/v1/admin/api-keys")
                .then().statusCode(201).body("name", equalTo("dashboard")).body("key", startsWith("dw_"))
                .body("id", notNullValue()).body("createdAt", notNullValue())
                .extract().path("key");
        String client = newClient();
        for (int i = 0; i < 6; i++) {
            given().header("X-Forwarded-For", client).header("X-Api-Key", key).get("/api/v1/categories").then()
                    .statusCode(200).header("RateLimit-Limit", equalTo("6"));
        }
        given().header("X-Forwarded-For", client).header("X-Api-Key", key).get("/api/v1/categories").then().statusCode(429)
                .header("Retry-After", notNullValue());
        // the key's budget is its own: the address still has its anonymous one
        given().header("X-Forwarded-For", client).get("/api/v1/categories").then().statusCode(200)
                .header("RateLimit-Limit", equalTo("3"));
    }

    @Test
    void aKeyMayHaveItsOwnLimitAndCanBeRevoked() {
        Response created = given().header("Authorization", "Bearer test-admin-token").contentType("application/json")
                .body("{\"name\": \"big\", \"rateLimit\": 10}").post("/api/v1/admin/api-keys");
        created.then().statusCode(201).body("rateLimit", equalTo(10));
        String key = created.path("key");
        int id = created.path("id");
        given().header("X-Forwarded-For", newClient()).header("X-Api-Key", key).get("/api/v1/categories").then()
                .statusCode(200).header("RateLimit-Limit", equalTo("10"));
        given().header("Authorization", "Bearer test-admin-token").delete("/api/v1/admin/api-keys/" + id).then().statusCode(204);
        given().header("X-Forwarded-For", newClient()).header("X-Api-Key", key).get("/api/v1/categories").then()
                .statusCode(401).contentType(containsString("application/problem+json"))
                .body("type", equalTo("https://downwatch.org/problems/unauthorized"));
    }

    @Test
    void rejectsAnUnknownApiKeyAndLimitsGuessing() {
        String client = newClient();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", client).header("X-Api-Key", "dw_made-up-" + i).get("/api/v1/categories").then()
                    .statusCode(401).contentType(containsString("application/problem+json"))
                    .header("RateLimit-Limit", equalTo("3"));
        }
        given().header("X-Forwarded-For", client).header("X-Api-Key", "dw_made-up-4").get("/api/v1/categories").then()
                .statusCode(429).header("Retry-After", notNullValue());
    }

    @Test
    void theAdminEndpointNeedsTheToken() {
        given().header("X-Forwarded-For", newClient()).contentType("application/json").body("{\"name\": \"x\"}")
                .post("/api/v1/admin/api-keys").then().statusCode(403)
                .contentType(containsString("application/problem+json"));
        given().header("X-Forwarded-For", newClient()).header("Authorization", "Bearer wrong").contentType("application/json")
                .body("{\"name\": \"x\"}").post("/api/v1/admin/api-keys").then().statusCode(403);
        given().header("X-Forwarded-For", newClient()).header("Authorization", "Bearer test-admin-token")
                .contentType("application/json").body("{\"name\": \"\"}").post("/api/v1/admin/api-keys").then()
                .statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void reportSubmissionsAreNotLimitedHere() {
        assertNull(ApiRateLimit.budget("POST", "/api/v1/services/la-poste/reports"));
        assertEquals(ApiRateLimit.Budget.READ, ApiRateLimit.budget("GET", "/api/v1/services/la-poste/reports"));
        assertEquals(ApiRateLimit.Budget.BACKTEST, ApiRateLimit.budget("POST", "/api/v1/backtest"));
        assertEquals(ApiRateLimit.Budget.READ, ApiRateLimit.budget("GET", "/api/v1/services"));
        assertNull(ApiRateLimit.budget("GET", "/services/la-poste"));
        assertNull(ApiRateLimit.budget("GET", "/q/openapi"));
        String client = newClient();
        for (int i = 0; i < 3; i++) {
            given().header("X-Forwarded-For", client).get("/api/v1/categories").then().statusCode(200);
        }
        // whatever the report feature answers, it is not this filter's 429
        int status = given().header("X-Forwarded-For", client).contentType("application/json")
                .body("{\"problem\": \"parcel-tracking\"}").post("/api/v1/services/la-poste/reports").statusCode();
        assertTrue(status != 429, "status " + status);
    }
}
