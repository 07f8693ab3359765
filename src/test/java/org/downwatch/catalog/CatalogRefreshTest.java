package org.downwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.downwatch.catalog.CatalogAdminProfile.admin;
import static org.downwatch.catalog.CatalogAdminProfile.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two instances over one database. "The other instance" is a second {@link Catalog} built outside CDI over
 * the same database and polled the way the scheduler polls it; the other way round, a change committed by
 * another instance (plain SQL and a version bump) reaches this application's own, scheduled catalog.
 */
@QuarkusTest
@TestProfile(CatalogAdminProfile.class)
class CatalogRefreshTest {

    /** Generous: the refresh runs every second here; this only bounds a broken refresh. */
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CatalogTestData data;

    @Inject
    Catalog catalog;

    private static void eventually(BooleanSupplier condition, Runnable poll) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            poll.run();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not seen within " + WITHIN);
    }

    @Test
    void aChangeMadeThroughOneInstanceIsSeenByTheOtherWithinSeconds() throws InterruptedException {
        Catalog other = Catalog.standalone(dataSource);
        String slug = CatalogAdminTest.create(unique("twin"), "Twin One", "bank", "");
        other.poll();
        assertEquals("Twin One", other.require(slug).name);
        long before = other.version();

        admin().contentType("application/json").body("{\"name\": \"Twin Renamed\", \"category\": \"telecom\"}")
                .patch("/api/v1/admin/services/{slug}", slug).then().statusCode(200);
        eventually(() -> other.require(slug).name.equals("Twin Renamed"), other::poll);
        // one snapshot, swapped whole: the name and the category of the same change
        assertEquals("telecom", other.require(slug).category);
        assertTrue(other.version() > before);
        assertEquals(catalog.version(), other.version());
    }

    @Test
    void aServiceAddedByAnotherInstanceIsServedHereWithinSeconds() throws InterruptedException {
        String slug = unique("elsewhere");
        data.execute("insert into service (slug, name, category) values ('" + slug + "', 'Added Elsewhere', 'email')");
        // no call into this instance: its scheduled refresh must pick the change up
        eventually(() -> given().get("/api/v1/services/{slug}", slug).statusCode() == 200, () -> { });
        given().get("/api/v1/services/{slug}", slug).then().statusCode(200);
        assertTrue(catalog.search("added elsewhere").stream().anyMatch(s -> s.slug.equals(slug)));
    }
}
