package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServicesApiTest {

    @Inject
    TestData data;

    @Test
    void searchesServicesIgnoringAccentsAndCase() {
        given().get("/api/v1/services?q=POSTE").then().statusCode(200)
                .contentType(containsString("application/json"))
                .body("items.slug", hasItem("la-poste"))
                .body("page", equalTo(1)).body("size", equalTo(20));
        given().get("/api/v1/services?q=societe generale").then().statusCode(200)
                .body("items.slug", hasItem("societe-generale"));
        given().queryParam("q", "CRÉDIT").get("/api/v1/services").then().statusCode(200)
                .body("items.slug", hasItem("credit-agricole"));
    }

    @Test
    void filtersServicesByCategory() {
        given().get("/api/v1/services?category=postal&size=100").then().statusCode(200)
                .body("items.category", everyItem(equalTo("postal")))
                .body("items.slug", hasItems("la-poste", "colissimo"));
    }

    @Test
    void rejectsAnUnknownCategoryOrStatusNamingTheParameter() {
        given().get("/api/v1/services?category=nope").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors[0].field", equalTo("category"));
        given().get("/api/v1/services?status=down").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void filtersServicesByCurrentStatus() {
        data.status("ratp", "problem", data.now().minusSeconds(600), 80, 4, 12);
        data.status("caf", "possible", data.now().minusSeconds(300), 20, 4, 12);
        data.status("ants", "none", null, 1, 2, 8);
        given().get("/api/v1/services?status=problems&size=100").then().statusCode(200)
                .body("items.slug", hasItems("ratp", "caf")).body("items.slug", not(hasItem("ants")))
                .body("items.level", everyItem(not(equalTo("none"))));
        given().get("/api/v1/services?status=problem&size=100").then().statusCode(200)
                .body("items.slug", hasItem("ratp")).body("items.slug", not(hasItem("caf")));
        given().get("/api/v1/services?status=none&category=public&size=100").then().statusCode(200)
                .body("items.slug", hasItem("ants")).body("items.slug", not(hasItem("caf")));
    }

    @Test
    void paginatesWithLinkHeaders() {
        Response r = given().get("/api/v1/services?size=5&page=2");
        r.then().statusCode(200).body("items", hasSize(5)).body("page", equalTo(2)).body("size", equalTo(5));
        long total = r.jsonPath().getLong("total");
        assertTrue(total >= 62, "the catalog's 62 services at least: " + total);
        List<String> links = r.headers().getValues("Link");
        assertTrue(links.stream().anyMatch(l -> l.contains("rel=\"next\"") && l.contains("page=3") && l.contains("size=5")), links.toString());
        assertTrue(links.stream().anyMatch(l -> l.contains("rel=\"prev\"") && l.contains("page=1")), links.toString());

        Response first = given().get("/api/v1/services?size=5");
        assertTrue(first.headers().getValues("Link").stream().noneMatch(l -> l.contains("rel=\"prev\"")));
        given().get("/api/v1/services?size=100&page=1000").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void rejectsAPageSizeOverTheMaximum() {
        given().get("/api/v1/services?size=101").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("status", equalTo(400)).body("title", notNullValue())
                .body("errors[0].field", equalTo("size"));
        given().get("/api/v1/services?page=0").then().statusCode(400).body("errors[0].field", equalTo("page"));
        given().get("/api/v1/services?size=ten").then().statusCode(400).body("errors[0].field", equalTo("size"));
    }

    @Test
    void describesAServiceWithProblemTypesInTheRequestLanguageAndItsStatus() {
        Instant since = Instant.parse("2026-01-05T06:04:00Z");
        data.status("la-poste", "problem", since, 96, 6.5, 18.25);
        given().get("/api/v1/services/la-poste").then().statusCode(200)
                .body("slug", equalTo("la-poste")).body("name", equalTo("La Poste")).body("category", equalTo("postal"))
                .body("problemTypes[0].slug", equalTo("parcel-tracking"))
                .body("problemTypes[0].label", equalTo("Parcel tracking"))
                .body("status.level", equalTo("problem"))
                .body("status.since", equalTo("2026-01-05T06:04:00Z"))
                .body("status.observed", equalTo(96))
                .body("status.expected", equalTo(6.5f))
                .body("status.upper", equalTo(18.25f))
                .body("status.windowMinutes", equalTo(15));
        given().header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5").get("/api/v1/services/la-poste").then()
                .statusCode(200).body("problemTypes[0].label", equalTo("Suivi de colis"));
        given().header("Accept-Language", "fr").get("/api/v1/services/la-poste?lang=en").then()
                .statusCode(200).body("problemTypes[0].label", equalTo("Parcel tracking"));
    }

    @Test
    void answers404ForAnUnknownService() {
        for (String path : List.of("/api/v1/services/nope", "/api/v1/services/nope/series", "/api/v1/services/nope/problems",
                "/api/v1/services/nope/incidents.atom")) {
            given().get(path).then().statusCode(404)
                    .contentType(containsString("application/problem+json"))
                    .body("status", equalTo(404)).body("instance", equalTo(path));
        }
    }

    @Test
    void seriesCountsReportsPerUtcBucket() {
        Instant t = Instant.parse("2025-03-04T10:00:00Z");
        data.count("caf", "online-procedures", t.plusSeconds(60), 3);
        data.count("caf", "payments", t.plusSeconds(120), 4);
        data.count("caf", "online-procedures", t.plusSeconds(16 * 60), 5);
        given().get("/api/v1/services/caf/series?from=2025-03-04T10:00:00Z&to=2025-03-04T11:00:00Z&bucket=PT15M")
                .then().statusCode(200)
                .body("service", equalTo("caf")).body("bucket", equalTo("PT15M"))
                .body("from", equalTo("2025-03-04T10:00:00Z")).body("to", equalTo("2025-03-04T11:00:00Z"))
                .body("points", hasSize(4))
                .body("points[0].start", equalTo("2025-03-04T10:00:00Z"))
                .body("points[0].count", equalTo(7))
                .body("points[1].start", equalTo("2025-03-04T10:15:00Z"))
                .body("points[1].count", equalTo(5))
                .body("points[2].count", equalTo(0))
                .body("points[0].partial", nullValue());
        given().queryParam("from", "2025-03-04T11:00:00+01:00").queryParam("to", "2025-03-04T11:00:00Z")
                .queryParam("bucket", "PT1H").get("/api/v1/services/caf/series")
                .then().statusCode(200).body("points", hasSize(1)).body("points[0].count", equalTo(12));
    }

    @Test
    void seriesGivesNoBaselineForMinutesTheDetectorHasNotEvaluated() {
        // minutes of 2025, long before the test detector's memory: never evaluated, so no usual count
        // (a 0 would draw the usual line down to nothing), while the count is there
        Instant t = Instant.parse("2025-03-05T10:00:00Z");
        data.count("caf", "payments", t.plusSeconds(60), 9);
        Response r = given().get("/api/v1/services/caf/series?from=2025-03-05T10:00:00Z&to=2025-03-05T10:30:00Z&bucket=PT15M");
        r.then().statusCode(200).body("points", hasSize(2)).body("points[0].count", equalTo(9));
        for (Map<String, Object> p : r.jsonPath().<Map<String, Object>>getList("points")) {
            assertTrue(p.containsKey("count") && !p.containsKey("baseline") && !p.containsKey("upper"), p.toString());
        }
    }

    @Test
    void seriesDefaultsToTheLast24HoursIn5MinuteBucketsWithThePartialBucketLast() {
        Response r = given().get("/api/v1/services/caf/series");
        r.then().statusCode(200).body("bucket", equalTo("PT5M"));
        Instant from = Instant.parse(r.jsonPath().getString("from"));
        Instant to = Instant.parse(r.jsonPath().getString("to"));
        long span = to.getEpochSecond() - from.getEpochSecond();
        assertTrue(span >= 24 * 3600 && span < 24 * 3600 + 300, "24 hours, from rounded down to the bucket: " + span);
        assertEquals(0, from.getEpochSecond() % 300, "from is aligned: " + from);
        List<Map<String, Object>> points = r.jsonPath().getList("points");
        assertTrue(points.size() >= 288 && points.size() <= 289, "points: " + points.size());
        assertEquals(Boolean.TRUE, points.get(points.size() - 1).get("partial"));
        assertTrue(Instant.parse((String) points.get(points.size() - 1).get("start")).isBefore(Instant.now().plusSeconds(1)));
    }

    @Test
    void rejectsBadSeriesParametersNamingThem() {
        given().get("/api/v1/services/caf/series?from=yesterday").then().statusCode(400)
                .contentType(containsString("application/problem+json")).body("errors[0].field", equalTo("from"));
        given().get("/api/v1/services/caf/series?to=2025-13-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        given().get("/api/v1/services/caf/series?from=2025-01-01T00:00:00Z&to=2025-02-02T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("from")).body("detail", containsString("31 days"));
        given().get("/api/v1/services/caf/series?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        given().get("/api/v1/services/caf/series?bucket=PT10M").then().statusCode(400)
                .body("errors[0].field", equalTo("bucket"));
        given().get("/api/v1/services/caf/series?bucket=hourly").then().statusCode(400)
                .body("errors[0].field", equalTo("bucket"));
        given().get("/api/v1/services/caf/series?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&bucket=PT1H")
                .then().statusCode(200);
    }

    @Test
    void countsAndSharesPerProblemType() {
        Instant t = Instant.parse("2025-04-04T10:00:00Z");
        data.count("caf", "online-procedures", t, 6);
        data.count("caf", "payments", t.plusSeconds(60), 2);
        given().get("/api/v1/services/caf/problems?from=2025-04-04T10:00:00Z&to=2025-04-04T11:00:00Z").then()
                .statusCode(200)
                .body("service", equalTo("caf")).body("total", equalTo(8))
                .body("problems[0].slug", equalTo("online-procedures"))
                .body("problems[0].label", equalTo("Online procedures"))
                .body("problems[0].count", equalTo(6)).body("problems[0].share", equalTo(0.75f))
                .body("problems[1].slug", equalTo("payments")).body("problems[1].share", equalTo(0.25f))
                .body("problems.share", everyItem(notNullValue()))
                .body("problems.slug", hasItem("login"));
        given().get("/api/v1/services/caf/problems?from=2025-04-04T10:00:00Z&to=2025-04-04T11:00:00Z&lang=fr").then()
                .statusCode(200).body("problems[0].label", equalTo("Démarches en ligne"));
        given().get("/api/v1/services/caf/problems?from=nope").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().get("/api/v1/services/caf/problems?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z").then()
                .statusCode(400).body("errors[0].field", equalTo("from"));
    }

    @Test
    void listsCategoriesInTheRequestLanguage() {
        given().get("/api/v1/categories").then().statusCode(200)
                .body("slug", hasItems("postal", "telecom", "public"))
                .body("find { it.slug == 'postal' }.name", equalTo("Postal & delivery"))
                .body("find { it.slug == 'postal' }.services", equalTo(6))
                .header("Cache-Control", containsString("max-age=3600"));
        given().get("/api/v1/categories?lang=fr").then().statusCode(200)
                .body("find { it.slug == 'postal' }.name", equalTo("Courrier et livraison"));
    }

    @Test
    void answers304WhenTheETagMatches() {
        Response r = given().get("/api/v1/categories");
        String etag = r.header("ETag");
        assertTrue(etag != null && etag.startsWith("\""), "ETag: " + etag);
        given().header("If-None-Match", etag).get("/api/v1/categories").then().statusCode(304)
                .header("ETag", equalTo(etag)).header("Cache-Control", startsWith("public"));
        given().header("If-None-Match", "W/" + etag + ", \"other\"").get("/api/v1/categories").then().statusCode(304);
        given().header("If-None-Match", "\"other\"").get("/api/v1/categories").then().statusCode(200);

        data.status("colissimo", "none", null, 0, 1, 5);
        String serviceTag = given().get("/api/v1/services/colissimo").then().statusCode(200)
                .header("Cache-Control", equalTo("public, max-age=30, stale-while-revalidate=30")).extract().header("ETag");
        given().header("If-None-Match", serviceTag).get("/api/v1/services/colissimo").then().statusCode(304);
        data.status("colissimo", "problem", data.now(), 50, 1, 5);
        given().header("If-None-Match", serviceTag).get("/api/v1/services/colissimo").then().statusCode(200)
                .body("status.level", equalTo("problem"));
    }

    @Test
    void writesTimesAsIsoStringsAndOpensGetToOtherOrigins() {
        given().header("Origin", "https://dashboard.example").get("/api/v1/categories").then().statusCode(200)
                .header("Access-Control-Allow-Origin", notNullValue());
        given().header("Origin", "https://dashboard.example").header("Access-Control-Request-Method", "GET")
                .options("/api/v1/services").then().statusCode(204)
                .header("Access-Control-Allow-Origin", equalTo("*"))
                .header("Access-Control-Allow-Methods", equalTo("GET, HEAD"));
        Response preflight = given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/api/v1/services/la-poste/reports");
        String allowed = preflight.header("Access-Control-Allow-Methods");
        assertTrue(allowed == null || !allowed.contains("POST"), "POST is not opened to other origins: " + allowed);
        assertNull(preflight.header("Access-Control-Allow-Origin"), "no CORS approval for POST");
        // CORS never rejects a request by itself: the site's own form POST (browsers send Origin) reaches its handler
        String statusLine = given().header("Origin", "http://localhost:8080").contentType("application/x-www-form-urlencoded")
                .formParam("problem", "parcel-tracking").redirects().follow(false).post("/services/la-poste/reports").statusLine();
        assertTrue(!statusLine.contains("CORS"), "not rejected by CORS: " + statusLine);
    }
}
