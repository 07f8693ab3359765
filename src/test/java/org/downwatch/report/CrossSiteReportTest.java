package org.downwatch.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A foreign page cannot make its visitors report through the API: a beacon (no or a text type), a
 * cross-site or same-site fetch, a foreign Origin are refused on both paths (the Vert.x route answers
 * JSON with a length, the resource the rest); a program without those headers still reports.
 */
@QuarkusTest
class CrossSiteReportTest {

    static final String PATH = ReportResourceTest.PATH;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void refusesABeaconWithoutContentTypeAs415() throws SQLException {
        long before = reports();
        given().header("X-Forwarded-For", Clients.next()).body(ReportResourceTest.PARCELS.getBytes())
                .when().post(PATH, "la-poste").then().statusCode(415).contentType("application/problem+json");
        given().header("X-Forwarded-For", Clients.next()).contentType("text/plain").body(ReportResourceTest.PARCELS)
                .when().post(PATH, "la-poste").then().statusCode(415).contentType("application/problem+json");
        assertEquals(before, reports());
    }

    @Test
    void refusesAForeignOriginOrSiteWith403OnBothPaths() throws SQLException {
        long before = reports();
        for (String accept : new String[] {"*/*", "application/json, text/plain;q=0.5"}) {
            ReportResourceTest.from(Clients.next(), "test/xsite").header("Accept", accept).header("Origin", "https://evil.example")
                    .body(ReportResourceTest.PARCELS).when().post(PATH, "la-poste").then().statusCode(403)
                    .contentType("application/problem+json").body("status", equalTo(403));
            ReportResourceTest.from(Clients.next(), "test/xsite").header("Accept", accept).header("Sec-Fetch-Site", "cross-site")
                    .body(ReportResourceTest.PARCELS).when().post(PATH, "la-poste").then().statusCode(403);
            ReportResourceTest.from(Clients.next(), "test/xsite").header("Accept", accept).header("Sec-Fetch-Site", "same-site")
                    .body(ReportResourceTest.PARCELS).when().post(PATH, "la-poste").then().statusCode(403);
        }
        // a beacon: no type, a foreign page
        given().header("X-Forwarded-For", Clients.next()).header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .body(ReportResourceTest.PARCELS.getBytes()).when().post(PATH, "la-poste").then().statusCode(403);
        assertEquals(before, reports());
    }

    @Test
    void acceptsOurOwnPagesAndPrograms() {
        ReportResourceTest.from(Clients.next(), "test/xsite-own").header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "http://localhost:" + io.restassured.RestAssured.port)
                .body(ReportResourceTest.PARCELS).when().post(PATH, "la-poste").then().statusCode(201);
        ReportResourceTest.report(Clients.next(), "curl/8", ReportResourceTest.PARCELS).then().statusCode(201);
    }

    private long reports() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from report")) {
            r.next();
            return r.getLong(1);
        }
    }
}
