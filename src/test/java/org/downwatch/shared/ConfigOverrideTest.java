package org.downwatch.shared;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The datasource comes from the standard Quarkus settings (QUARKUS_DATASOURCE_JDBC_URL...): pointed at
 * a database that does not exist yet, the test setup creates it and Flyway migrates it.
 */
@QuarkusTest
@TestProfile(ConfigOverrideTest.OtherDatabase.class)
class ConfigOverrideTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    /** Next to the tests' own database, so that parallel checkouts do not share it. */
    static final String DB = LocalDatabase.Target.parse(System.getenv().getOrDefault("DOWNWATCH_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/downwatch_test")).database() + "_override";

    public static class OtherDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            dropDatabase();
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + DB,
                    "downwatch.partitions.days-ahead", "10");
        }
    }

    @Inject
    EntityManager em;

    @Test
    @Transactional
    void usesTheConfiguredDatabaseAndSettings() {
        assertEquals(DB, em.createNativeQuery("select current_database()").getSingleResult());
        Number partitionsAhead = (Number) em.createNativeQuery("select count(*) from pg_class where relname = "
                + "'report_' || to_char((now() at time zone 'UTC')::date + 10, 'YYYYMMDD')").getSingleResult();
        assertEquals(1, partitionsAhead.intValue(), "days-ahead=10 was honoured");
        Number services = (Number) em.createNativeQuery("select count(*) from service").getSingleResult();
        assertEquals(true, services.intValue() > 40, "migrated with the catalog");
    }

    @Test
    void servesHealthOnTheOverriddenDatabase() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Start from a database that does not exist, when a local PostgreSQL answers (else nothing to drop). */
    static void dropDatabase() {
        try (Connection c = LocalDatabase.connect("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("drop database if exists " + DB + " with (force)");
        } catch (Exception e) {
            // no local server: the embedded fallback starts from nothing anyway
        }
    }
}
