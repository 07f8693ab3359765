package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.downwatch.region.Reports;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RegionsApiTest {

    static final String SERVICE = "chronopost";

    @Inject
    TestData data;

    @Inject
    Reports reports;

    Instant now;

    /** 50 reports over the last hours: France 36 (Paris 12 by postcode, Lyon 8 by name, Corsica 6, Marseille 4), Belgium 7, Switzerland 3, nowhere 4. */
    @BeforeEach
    void reportsFromAFewPlaces() {
        data.clear();
        data.clearIncidents(SERVICE);
        reports.clear(SERVICE);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant t = now.minus(2, ChronoUnit.HOURS);
        reports.add(SERVICE, t, "FR", "Paris", "75011", 7);
        reports.add(SERVICE, t, "FR", null, "75020", 5);
        reports.add(SERVICE, t, "FR", "Lyon", null, 5);
        reports.add(SERVICE, t, "FR", "lyon", null, 3);
        reports.add(SERVICE, t, "FR", "Ajaccio", "20090", 6);
        reports.add(SERVICE, t, "FR", "Marseille", "13001", 4);
        reports.add(SERVICE, t, "FR", null, null, 6);
        reports.add(SERVICE, t, "BE", "Bruxelles", "1000", 7);
        reports.add(SERVICE, t, "CH", "Genève", null, 3);
        reports.add(SERVICE, t, null, null, null, 4);
        // two days ago: outside the default range
        reports.add(SERVICE, now.minus(2, ChronoUnit.DAYS), "DE", "Berlin", null, 50);
    }

    JsonPath regions(String query) {
        return given().get("/api/v1/services/" + SERVICE + "/regions" + query).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    @Test
    void sharesCountriesOfTheLastDayAndFoldsThoseUnderFiveReports() {
        JsonPath j = regions("");
        assertEquals("day", j.getString("scope"));
        assertEquals("country", j.getString("level"));
        assertEquals(5, j.getInt("minReports"));
        assertEquals(50, j.getInt("total"));
        assertEquals(46, j.getInt("located"));
        assertEquals(4, j.getInt("unlocated"));
        assertEquals(List.of("FR", "BE"), j.getList("places.country"));
        assertEquals(List.of(36, 7), j.getList("places.count"));
        assertEquals(36.0 / 46, j.getDouble("places[0].share"), 1e-6);
        assertEquals("France", j.getString("places[0].name"));
        assertEquals(3, j.getInt("other.count"));
        assertEquals(1, j.getInt("other.places"));
        assertEquals(3.0 / 46, j.getDouble("other.share"), 1e-6);
        assertEquals("Belgique", given().get("/api/v1/services/" + SERVICE + "/regions?lang=fr").then().extract()
                .jsonPath().getString("places[1].name"));
    }

    @Test
    void regionsAreFrenchDepartementsFromThePostcodeAndCitiesElsewhere() {
        JsonPath j = regions("?level=region");
        assertEquals("region", j.getString("level"));
        // located: Paris 12 + Lyon 8 + Ajaccio 6 + Marseille 4 + Bruxelles 7 + Genève 3 = 40
        assertEquals(40, j.getInt("located"));
        assertEquals(Arrays.asList("75", "69", null, "2A"), j.getList("places.region"));
        assertEquals(List.of(12, 8, 7, 6), j.getList("places.count"));
        assertEquals(List.of("Paris (75)", "Rhône (69)", "Bruxelles, Belgium", "Corse-du-Sud (2A)"), j.getList("places.name"));
        assertEquals(12.0 / 40, j.getDouble("places[0].share"), 1e-6);
        assertEquals(7, j.getInt("other.count")); // Marseille 4, Genève 3
        assertEquals(2, j.getInt("other.places"));
    }

    @Test
    void citiesMergeSpellingsAndNothingFinerThanACityIsGiven() {
        String body = given().get("/api/v1/services/" + SERVICE + "/regions?level=city").then().statusCode(200)
                // Bruxelles and Paris tie: by country code
                .body("places.city", equalTo(List.of("Lyon", "Bruxelles", "Paris", "Ajaccio")))
                .body("places.count", equalTo(List.of(8, 7, 7, 6)))
                .body("places[0].region", equalTo("69"))
                .body("places[1].region", nullValue()).body("places[2].region", equalTo("75"))
                .extract().asString();
        for (String finer : List.of("75011", "75020", "20090", "13001", "Marseille", "Genève", "Berlin")) {
            assertTrue(!body.contains(finer), finer + " is not in " + body);
        }
    }

    @Test
    void anOpenIncidentIsTheDefaultRange() {
        Instant start = now.minus(90, ChronoUnit.MINUTES);
        data.incident(SERVICE, start, null, 20, 40);
        reports.add(SERVICE, start.plusSeconds(60), "FR", "Nantes", "44000", 9);
        JsonPath j = regions("?level=region");
        assertEquals("incident", j.getString("scope"));
        assertEquals(start, Instant.parse(j.getString("from")));
        assertEquals(9, j.getInt("total"));
        assertEquals(List.of("Loire-Atlantique (44)"), j.getList("places.name"));
        assertEquals(1.0, j.getDouble("places[0].share"), 1e-9);
    }

    @Test
    void anExplicitRangeCountsOnlyItsReports() {
        String from = now.minus(3, ChronoUnit.DAYS).toString();
        String to = now.minus(1, ChronoUnit.DAYS).toString();
        given().get("/api/v1/services/" + SERVICE + "/regions?from=" + from + "&to=" + to).then().statusCode(200)
                .body("scope", equalTo("range")).body("total", equalTo(50))
                .body("places", hasSize(1)).body("places[0].country", equalTo("DE"))
                .body("places[0].share", equalTo(1.0f))
                .header("ETag", not(nullValue()));
    }

    @Test
    void badParametersAreProblemDetailsNamingTheField() {
        String path = "/api/v1/services/" + SERVICE + "/regions";
        problem(path + "?level=street", "level", "must be one of city, country, region");
        problem(path + "?from=yesterday", "from", "ISO-8601");
        problem(path + "?to=2026-13-45T00:00:00Z", "to", "ISO-8601");
        problem(path + "?from=0001-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "between 1970");
        problem(path + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "must be before to");
        problem(path + "?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from", "at most 31 days");
        given().get("/api/v1/services/no-such-service/regions").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    static void problem(String url, String field, String message) {
        given().get(url).then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("type", not(nullValue())).body("title", not(nullValue()))
                .body("errors[0].field", equalTo(field)).body("errors[0].message", containsString(message));
    }

    @Test
    void isDocumentedInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/services/{slug}/regions'.get.summary", equalTo("Where the reports come from"))
                .body("paths.'/api/v1/services/{slug}/regions'.get.responses.'400'", not(nullValue()))
                .body("components.schemas.RegionBreakdown.properties.places", not(nullValue()));
    }
}
