package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.downwatch.testing.TestData;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HomePageTest {

    @Inject
    TestData data;

    @BeforeEach
    void quietSite() {
        data.clear();
    }

    @Test
    void aQuietDayHasNoProblemsListed() {
        given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(containsString("No service has an unusual number of reports right now."))
                .body(containsString("action=\"/search\""))
                .body(containsString("<a href=\"/categories/postal\">Postal &amp; delivery</a>"))
                .body(containsString("<a href=\"/services/la-poste\">La Poste</a>"));
    }

    @Test
    void servicesWithProblemsComeFirstTheFurthestAboveBaselineFirst() {
        Instant now = data.now();
        data.status("orange", "possible", now.minusSeconds(600), 40, 10, 30);
        data.status("sfr", "problem", now.minusSeconds(900), 50, 10, 30);
        data.status("la-poste", "problem", now.minusSeconds(3600), 212, 9, 25);
        data.count("la-poste", "parcel-tracking", now.minus(1, ChronoUnit.HOURS), 30);
        String page = given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(containsString("class=\"sparkline\""))
                .body(containsString("212 in the last 15 min, about 9 usual at this time"))
                .extract().asString();
        int laPoste = page.indexOf("problem-name\">La Poste");
        int sfr = page.indexOf("problem-name\">SFR");
        int orange = page.indexOf("problem-name\">Orange");
        assertTrue(laPoste > 0 && laPoste < sfr && sfr < orange, "La Poste (x23), then SFR (x5), then Orange (possible)");
    }

    @Test
    void recentIncidentsAreListed() {
        long free = data.incident("free", data.now().minus(5, ChronoUnit.HOURS), data.now().minus(4, ChronoUnit.HOURS), 17, 100);
        data.incidentProblems(free, Map.of("internet", 80, "tv", 20));
        Document home = Jsoup.parse(given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(not(containsString("No incidents recorded yet."))).extract().asString());
        Element link = home.selectFirst("a.incident-service[href=/services/free]");
        assertNotNull(link, "Free's incident is listed");
        assertEquals("Free", link.text());
        assertEquals("Internet connection 80%, TV 20%", home.selectFirst(".incident-problems").text());
    }

    @Test
    void smallIncidentsAreLeftToTheirServicePage() {
        // 14 reports in an hour on a quiet service: within the detector's false-alarm budget, which over
        // thousands of services would fill the home page; the service's own page keeps it
        data.incident("ameli", data.now().minus(3, ChronoUnit.HOURS), data.now().minus(2, ChronoUnit.HOURS), 2, 14);
        Document home = Jsoup.parse(given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(containsString("Incidents with 50 reports or more. Every incident is on its service&#39;s page."))
                .extract().asString());
        assertNull(home.selectFirst("a.incident-service[href=/services/ameli]"), "not on the home page");
        Document page = Jsoup.parse(given().header("Accept-Language", "en").when().get("/services/ameli").then()
                .statusCode(200).extract().asString());
        assertTrue(page.select("td").eachText().contains("2 reports/min"), "the incident is on its service's page");
    }

    @Test
    void eachCategoryHasItsPage() {
        given().header("Accept-Language", "fr").when().get("/categories/telecom").then().statusCode(200)
                .body(containsString("<h1>Télécoms et internet</h1>"))
                .body(containsString("<a href=\"/services/orange\">Orange</a>"));
    }
}
