package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Without downwatch.api.admin-token (the default), the admin endpoints are off, and the app still runs. */
@QuarkusTest
class ApiAdminDisabledTest {

    @Test
    void adminEndpointsAnswer403WhenNoTokenIsConfigured() {
        given().header("Authorization", "Bearer anything").contentType("application/json").body("{\"name\": \"x\"}")
                .post("/api/v1/admin/api-keys").then().statusCode(403)
                .contentType(containsString("application/problem+json"))
                .body("status", equalTo(403)).body("detail", containsString("no admin token"));
        given().delete("/api/v1/admin/api-keys/1").then().statusCode(403);
    }
}
