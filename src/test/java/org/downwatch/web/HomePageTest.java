package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HomePageTest {

    @Inject
    TestRows rows;

    @BeforeEach
    void quietSite() {
        rows.clear();
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
        rows.status("orange", "possible", Instant.now().minusSeconds(600), 40, 10, 30);
        rows.status("sfr", "problem", Instant.now().minusSeconds(900), 50, 10, 30);
        rows.status("la-poste", "problem", Instant.now().minusSeconds(3600), 212, 9, 25);
        rows.count("la-poste", "parcel-tracking", Instant.now().minus(1, ChronoUnit.HOURS), 30);
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
        rows.incident("free", Instant.now().minus(5, ChronoUnit.HOURS), Instant.now().minus(4, ChronoUnit.HOURS), 17);
        rows.incidentProblem("free", "internet", 80);
        rows.incidentProblem("free", "tv", 20);
        given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(containsString("<a class=\"incident-service\" href=\"/services/free\">Free</a>"))
                .body(containsString("Internet connection 80%, TV 20%"))
                .body(not(containsString("No incidents recorded yet.")));
    }

    @Test
    void smallIncidentsAreLeftToTheirServicePage() {
        // 14 reports in an hour on a quiet service: within the detector's false-alarm budget, which over
        // thousands of services would fill the home page; the service's own page keeps it
        rows.incident("ameli", Instant.now().minus(3, ChronoUnit.HOURS), Instant.now().minus(2, ChronoUnit.HOURS), 2, 14);
        given().header("Accept-Language", "en").when().get("/").then().statusCode(200)
                .body(not(containsString("<a class=\"incident-service\" href=\"/services/ameli\">")))
                .body(containsString("Incidents with 50 reports or more. Every incident is on its service&#39;s page."));
        given().header("Accept-Language", "en").when().get("/services/ameli").then().statusCode(200)
                .body(containsString(">2 reports/min</td>"));
    }

    @Test
    void eachCategoryHasItsPage() {
        given().header("Accept-Language", "fr").when().get("/categories/telecom").then().statusCode(200)
                .body(containsString("<h1>Télécoms et internet</h1>"))
                .body(containsString("<a href=\"/services/orange\">Orange</a>"));
    }
}
