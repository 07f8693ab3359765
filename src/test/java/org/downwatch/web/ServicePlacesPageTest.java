package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.downwatch.detect.MinuteEvaluated;
import org.downwatch.region.Reports;
import org.downwatch.testing.TestData;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "where" section of a service page: the list, the table and the map say the same numbers. */
@QuarkusTest
class ServicePlacesPageTest {

    static final String SERVICE = "colissimo";

    @Inject
    TestData data;

    @Inject
    Reports reports;

    @Inject
    PageCache cache;

    @Inject
    Event<MinuteEvaluated> evaluated;

    /** 30 reports: France 24 (Paris 12, Lyon 8, Marseille 4), Belgium 6. */
    @BeforeEach
    void reportsFromFranceAndBelgium() {
        data.clear();
        data.clearIncidents(SERVICE);
        reports.clear(SERVICE);
        Instant t = data.now().minus(2, ChronoUnit.HOURS);
        reports.add(SERVICE, t, "FR", "Paris", "75011", 12);
        reports.add(SERVICE, t, "FR", "Lyon", "69003", 8);
        reports.add(SERVICE, t, "FR", "Marseille", "13001", 4);
        reports.add(SERVICE, t, "BE", null, null, 6);
    }

    @AfterEach
    void renderPerRequestAgain() {
        cache.reset();
    }

    Document page(String lang) {
        return Jsoup.parse(given().get("/services/" + SERVICE + "?lang=" + lang).then().statusCode(200).extract().asString());
    }

    static List<String> list(Element section) {
        return section.select("ol.place-shares > li").stream()
                .map(li -> li.selectFirst(".share-label").text() + " " + li.selectFirst(".share-value").text()).toList();
    }

    static List<String> table(Element section) {
        return section.select("table tbody tr:has(td)").stream()
                .map(tr -> tr.selectFirst("th").text() + " " + tr.select("td").get(1).text()).toList();
    }

    @Test
    void listsCountriesThenDepartementsWithTheSameNumbersInTheTable() {
        Element where = page("fr").getElementById("where");
        assertNotNull(where, "the page has the where section");
        assertEquals("D'où viennent les signalements", where.selectFirst("h2").text());
        assertTrue(where.selectFirst(".scope").text().startsWith("Sur les dernières 24 heures : 30 signalements, dont 30 indiquent le pays."),
                where.selectFirst(".scope").text());
        List<String> expected = List.of("France 80 %", "Belgique 20 %", "Paris (75) 50 %", "Rhône (69) 33 %", "1 autre département 17 %");
        assertEquals(expected, list(where));
        assertEquals(expected, table(where), "the table for screen readers says what the list says");
        assertEquals(List.of("12", "8", "4"), where.select("table tbody:last-of-type tr:has(td)").stream()
                .map(tr -> tr.selectFirst("td").text()).toList());
        assertEquals("true", where.selectFirst(".places-lists").attr("aria-hidden"), "screen readers read the table once");
        assertTrue(where.selectFirst("table").parent().hasClass("visually-hidden"));
        assertFalse(where.text().contains("Marseille") || where.text().contains("Bouches-du-Rhône"),
                "a département with 4 reports is not named");
        assertTrue(where.text().contains("moins de 5 signalements"), "the privacy rule is said");
    }

    @Test
    void drawsTheDepartementsOfFranceShadingOnlyThoseShown() {
        Element map = page("en").selectFirst("#where figure svg");
        assertNotNull(map);
        assertEquals("img", map.attr("role"));
        assertEquals("Map of France: where the reports come from, by département", map.selectFirst("title").text());
        assertEquals(96, map.select("g path").size(), "every metropolitan département is drawn");
        assertEquals(List.of("Paris (75) — 50%", "Rhône (69) — 33%"), map.select("g path > title").eachText().stream().sorted().toList(),
                "only the départements shown in the list are shaded and named");
        assertTrue(map.selectFirst("desc").text().contains("Paris (75) 50%"));
    }

    @Test
    void aWorldwideServiceGetsTheWorldMapAndItsCities() {
        reports.clear("dhl");
        Instant t = data.now().minus(3, ChronoUnit.HOURS);
        reports.add("dhl", t, "DE", "Berlin", "10115", 9);
        reports.add("dhl", t, "DE", "Bonn", null, 6);
        reports.add("dhl", t, "US", "Chicago", null, 5);
        reports.add("dhl", t, "FR", "Lyon", "69001", 2);
        Element where = Jsoup.parse(given().get("/services/dhl?lang=en").then().statusCode(200).extract().asString())
                .getElementById("where");
        assertNotNull(where);
        Element map = where.selectFirst("figure svg");
        assertEquals("World map: where the reports come from, by country", map.selectFirst("title").text());
        assertTrue(map.select("g path").size() > 150, "every country is drawn");
        assertEquals(List.of("Germany — 68%", "United States — 23%"), map.select("g path > title").eachText().stream().sorted().toList());
        assertEquals(List.of("Germany 68%", "United States 23%", "1 other country 9%", "Berlin, Germany 41%",
                "Bonn, Germany 27%", "Chicago, United States 23%", "1 other place 9%"), list(where));
        assertEquals("By city", where.select(".places-lists h3").get(1).text());
        reports.clear("dhl");
    }

    @Test
    void theFormGuessesFranceOnFrenchPagesOnly() {
        assertEquals("FR", page("fr").getElementById("country").attr("value"));
        assertEquals("", page("en").getElementById("country").attr("value"));
        assertEquals("", page("fr").getElementById("city").attr("value"));
    }

    @Test
    void isReadWhenThePageVersionIsRenderedNotPerRequest() {
        evaluated.fire(new MinuteEvaluated(data.now().getEpochSecond() / 60 - 1));
        String first = given().header("Accept-Language", "en").get("/services/" + SERVICE).then().statusCode(200).extract().asString();
        reports.add(SERVICE, data.now().minus(1, ChronoUnit.HOURS), "DE", null, null, 40);
        String again = given().header("Accept-Language", "en").get("/services/" + SERVICE).then().statusCode(200).extract().asString();
        assertEquals(first, again, "same bytes within a version: no query per request");
        evaluated.fire(new MinuteEvaluated(data.now().getEpochSecond() / 60));
        Element where = Jsoup.parse(given().header("Accept-Language", "en").get("/services/" + SERVICE).then().extract().asString())
                .getElementById("where");
        assertNotEquals(first, where.outerHtml());
        assertEquals("Germany 57%", list(where).get(0), "the next version shows the new reports");
    }

    @Test
    void saysNothingWhereTooFewReportsSayWhere() {
        reports.clear(SERVICE);
        reports.add(SERVICE, data.now().minus(1, ChronoUnit.HOURS), "FR", "Paris", "75001", 4);
        assertNull(page("en").getElementById("where"));
    }
}
