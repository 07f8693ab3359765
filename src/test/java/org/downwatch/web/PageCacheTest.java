package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.downwatch.detect.MinuteEvaluated;
import org.downwatch.report.ReportFormToken;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pages of the last evaluated minute come from {@link PageCache}: the detector's event moves them,
 * not the database (here the rows change under a version and the page does not).
 */
@QuarkusTest
class PageCacheTest {

    @Inject
    TestData data;
    @Inject
    PageCache cache;
    @Inject
    Event<MinuteEvaluated> evaluated;
    @Inject
    ReportFormToken tokens;
    @Inject
    WebConfig config;

    long minute;

    @BeforeEach
    void quietSite() {
        data.clear();
        cache.reset();
        minute = data.now().getEpochSecond() / 60 - 1;
    }

    @AfterEach
    void renderPerRequestAgain() {
        cache.reset(); // the other tests read the database through their pages
    }

    private Response page(String path) {
        return given().header("Accept-Language", "en").when().get(path);
    }

    @Test
    void aPageIsServedFromTheMinutesSnapshotUntilTheNextMinute() {
        data.status("la-poste", "problem", data.now().minusSeconds(2400), 212, 9.2, 25);
        evaluated.fire(new MinuteEvaluated(minute));
        Response first = page("/services/la-poste");
        first.then().statusCode(200).body(containsString("212 reports in the last 15 minutes"))
                .header("Cache-Control", "public, max-age=30, stale-while-revalidate=60")
                .header("Content-Language", "en");
        Response chart = page("/services/la-poste/chart.svg?range=7d&size=narrow");
        chart.then().statusCode(200).contentType(containsString("image/svg+xml"));
        page("/").then().statusCode(200).body(containsString("La Poste"));

        // the verdict changes within the minute: every request of the minute still shows the snapshot
        data.status("la-poste", "none", null, 3, 9.2, 25);
        page("/services/la-poste").then().statusCode(200).body(containsString("212 reports in the last 15 minutes"))
                .header("ETag", first.getHeader("ETag"));
        page("/").then().statusCode(200).body(containsString("problem-card level-problem"));

        // the next minute is evaluated: the page follows the database
        evaluated.fire(new MinuteEvaluated(minute + 1));
        Response next = page("/services/la-poste");
        next.then().statusCode(200).body(not(containsString("212 reports")));
        assertNotEquals(first.getHeader("ETag"), next.getHeader("ETag"));
        page("/").then().statusCode(200).body(not(containsString("problem-card level-problem")));
    }

    @Test
    void aMatchingETagAnswers304WithoutRendering() {
        evaluated.fire(new MinuteEvaluated(minute));
        String etag = page("/services/la-poste").getHeader("ETag");
        assertTrue(cache.weight() > 0);
        // an instance that rendered nothing of this minute yet knows the tag all the same
        cache.reset();
        evaluated.fire(new MinuteEvaluated(minute));
        given().header("Accept-Language", "en").header("If-None-Match", etag).when().get("/services/la-poste")
                .then().statusCode(304).body(emptyString()).header("ETag", etag);
        assertEquals(0, cache.weight(), "nothing was rendered");
    }

    @Test
    void twoInstancesServeTheSameBytesUnderTheSameTag() {
        data.status("orange", "possible", data.now().minusSeconds(600), 31, 12.4, 30);
        evaluated.fire(new MinuteEvaluated(minute));
        Response one = page("/services/orange");
        byte[] chartOne = page("/services/orange/chart.svg").asByteArray();
        // a second instance: its own snapshot of the same minute, built from the same database
        cache.reset();
        evaluated.fire(new MinuteEvaluated(minute));
        Response two = page("/services/orange");
        assertEquals(one.getHeader("ETag"), two.getHeader("ETag"));
        assertEquals(one.asString(), two.asString());
        assertArrayEquals(chartOne, page("/services/orange/chart.svg").asByteArray());
        // the form token is the window's, the same for everyone, and the form accepts it
        String token = tokens.issueForWindow(data.now());
        assertTrue(one.asString().contains("name=\"_csrf\" value=\"" + token + "\""), "the window's token");
        assertTrue(tokens.verify(token));
    }

    @Test
    void gzipIsServedPrecompressedToWhoeverAcceptsIt() throws IOException {
        evaluated.fire(new MinuteEvaluated(minute));
        String plain = page("/services/la-poste").asString();
        Response gz = given().header("Accept-Language", "en").header("Accept-Encoding", "gzip").urlEncodingEnabled(false)
                .config(io.restassured.RestAssured.config().decoderConfig(
                        io.restassured.config.DecoderConfig.decoderConfig().noContentDecoders()))
                .when().get("/services/la-poste");
        gz.then().statusCode(200).header("Content-Encoding", "gzip").header("Vary", containsString("Accept-Encoding"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.asByteArray()))) {
            assertEquals(plain, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void pagesOfAnAnswerOrAnUnknownQueryAreRenderedPerRequest() {
        evaluated.fire(new MinuteEvaluated(minute));
        page("/services/la-poste?reported=counted").then().statusCode(200).header("Cache-Control", containsString("no-cache"));
        page("/services/la-poste?utm=x").then().statusCode(200).header("Cache-Control", not(containsString("public")));
        assertEquals(0, cache.weight());
    }

    @Test
    void tenThousandServicesStayWithinTheBound() {
        evaluated.fire(new MinuteEvaluated(minute));
        String pageBody = page("/services/la-poste").asString();
        String chartBody = page("/services/la-poste/chart.svg").asString();
        long one = cache.weight();
        PageCache.Version version = cache.version();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heap0 = rt.totalMemory() - rt.freeMemory();
        // each synthetic service: its page and its chart in one language, as a crowd would ask for them
        for (int i = 0; i < 10_000; i++) {
            String n = "-" + i;
            cache.get("html en /services/s" + i, version, () -> pageBody + n);
            cache.get("svg+xml en /services/s" + i + "/chart.svg", version, () -> chartBody + n);
        }
        long weight = cache.weight();
        System.gc();
        long heap = rt.totalMemory() - rt.freeMemory() - heap0;
        System.out.printf("PageCache: one service (page + chart, plain + gzip) %d KB; 10,000 services asked for: "
                + "%d MB kept (bound %d MB), heap grew %d MB%n", one / 1024, weight >> 20, config.pageCacheBytes() >> 20,
                heap >> 20);
        assertTrue(weight <= config.pageCacheBytes(), "bounded");
        assertTrue(weight > config.pageCacheBytes() / 2, "filled to its bound");
    }

    @Test
    void twoVisitorsWithDifferentCookiesGetTheSameBytesThatAnyCacheMayKeep() {
        data.status("la-poste", "problem", data.now().minusSeconds(2400), 212, 9.2, 25);
        data.count("la-poste", "parcel-tracking", data.now().minusSeconds(7200), 7);
        evaluated.fire(new MinuteEvaluated(minute));
        for (String path : List.of("/services/la-poste", "/services/la-poste/chart.svg", "/", "/categories/postal",
                "/search?q=poste")) {
            Response a = given().header("Accept-Language", "fr").cookie("tz", "Asia/Tokyo").cookie("lang", "en")
                    .header("Accept-Encoding", "identity").when().get(path);
            Response b = given().header("Accept-Language", "fr").cookie("tz", "America/New_York").cookie("other", "x")
                    .header("Accept-Encoding", "identity").when().get(path);
            a.then().statusCode(200);
            assertArrayEquals(a.asByteArray(), b.asByteArray(), path);
            assertEquals(a.getHeader("ETag"), b.getHeader("ETag"), path);
            for (Response r : List.of(a, b)) {
                assertTrue(r.getHeader("Cache-Control").startsWith("public"), path + ": " + r.getHeader("Cache-Control"));
                assertTrue(r.getHeader("Cache-Control").contains("max-age=30"), path);
                assertFalse(String.valueOf(r.getHeaders().getValues("Vary")).contains("Cookie"), path);
                assertNull(r.getHeader("Set-Cookie"), path);
            }
        }
    }
    @Test
    void theApiReadsOfAServiceComeFromTheSnapshotWith304WithoutReading() throws IOException {
        data.status("la-poste", "problem", data.now().minusSeconds(2400), 212, 9.2, 25);
        data.count("la-poste", "parcel-tracking", data.now().minusSeconds(3600), 7);
        evaluated.fire(new MinuteEvaluated(minute));
        Response detail = given().header("Accept-Language", "fr").header("Accept-Encoding", "identity").when()
                .get("/api/v1/services/la-poste");
        detail.then().statusCode(200).contentType(containsString("application/json"))
                .header("Cache-Control", "public, max-age=30, stale-while-revalidate=30")
                .header("Vary", "Accept-Language, Accept-Encoding")
                .body(containsString("\"level\":\"problem\""));
        Response series = given().header("Accept-Encoding", "identity").when().get("/api/v1/services/la-poste/series");
        series.then().statusCode(200).header("Vary", "Accept-Encoding").body(containsString("\"count\":7"));
        // the series ends at the end of the evaluated minute: not one minute newer than the pages
        assertTrue(series.asString().contains("\"to\":\"" + java.time.Instant.ofEpochSecond((minute + 1) * 60) + "\""),
                series.asString());

        // within the minute the database changes: the API answers the snapshot, and a 304 needs no reading at all
        data.status("la-poste", "none", null, 3, 9.2, 25);
        data.count("la-poste", "parcel-tracking", data.now().minusSeconds(3600), 50);
        given().header("Accept-Language", "fr").when().get("/api/v1/services/la-poste").then().statusCode(200)
                .header("ETag", detail.getHeader("ETag")).body(containsString("\"level\":\"problem\""));
        given().header("If-None-Match", series.getHeader("ETag")).when().get("/api/v1/services/la-poste/series")
                .then().statusCode(304).body(emptyString());
        byte[] gz = given().header("Accept-Encoding", "gzip").when().get("/api/v1/services/la-poste/series").then()
                .statusCode(200).header("Content-Encoding", "gzip").extract().asByteArray();
        assertTrue(gz.length > 0);
        // explicit parameters: read from the database as before
        given().queryParam("bucket", "PT5M").when().get("/api/v1/services/la-poste/series").then().statusCode(200)
                .body(containsString("\"count\":50"));

        // the next minute follows the database
        evaluated.fire(new MinuteEvaluated(minute + 1));
        given().header("Accept-Language", "fr").when().get("/api/v1/services/la-poste").then().statusCode(200)
                .body(containsString("\"level\":\"none\""));
        given().header("If-None-Match", series.getHeader("ETag")).when().get("/api/v1/services/la-poste/series")
                .then().statusCode(200).body(containsString("\"count\":50"));
    }
}
