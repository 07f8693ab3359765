package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Hostile input gets a clear 4xx, never a 500 or an off-site link. */
@QuarkusTest
class BadInputTest {

    @Test
    void absurdDatesAre400NamingTheParameter() {
        given().when().get("/api/v1/incidents?from=-4714-11-24T00:00:00Z").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("from"));
        given().when().get("/api/v1/services/la-poste/series?from=-999999999-01-01T00:00:00Z&to=-999999999-01-02T00:00:00Z")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        given().when().get("/api/v1/incidents?to=+999999999-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
    }

    @Test
    void aMadeUpApiKeyIsRefusedWithoutALookup() {
        assertFalse(ApiKeys.wellFormed("random"));
        assertFalse(ApiKeys.wellFormed("dw_" + "a".repeat(42) + "!"));
        assertTrue(ApiKeys.wellFormed("dw_" + "a".repeat(43)));
        given().header("X-Api-Key", "x".repeat(5000)).when().get("/api/v1/categories").then().statusCode(401);
    }

    @Test
    void theLanguageLinkStaysOnTheSite() {
        for (String path : new String[] {"/%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/%09/evil.example"}) {
            given().urlEncodingEnabled(false).when().get(path).then().statusCode(404)
                    .body(not(containsString("href=\"//"))).body(not(containsString("href=\"/\\")));
        }
    }
}
