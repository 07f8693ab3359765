package org.downwatch.catalog;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** The catalog tests' profile: an admin token, and a quick refresh so that "another instance" is seen fast. */
public class CatalogAdminProfile implements QuarkusTestProfile {

    static final String TOKEN = "catalog-admin-token";

    @Override
    public Map<String, String> getConfigOverrides() {
        // a short replay: the import tests leave thousands of services, which a 28-day warm-up would replay
        return Map.of("downwatch.api.admin-token", TOKEN, "downwatch.catalog.refresh-every", "1s", "downwatch.detect.replay", "P4D");
    }

    /** A request with the admin token. */
    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).header("X-Downwatch-Actor", "tests");
    }

    /** A slug no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
