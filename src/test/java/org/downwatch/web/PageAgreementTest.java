package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.downwatch.testing.TestData;

/**
 * What the home page and a service page say about one service agree: its level, the evidence under it
 * and the open incident, and the home page's list of services with problems (pages parsed as HTML).
 */
@QuarkusTest
class PageAgreementTest {

    static final Pattern EVIDENCE = Pattern.compile("(\\d+) reports? in the last (\\d+) minutes, where (?:about (\\d+)|none) are usual");

    @Inject
    TestData rows;

    @BeforeEach
    void quietSite() {
        rows.clear();
    }

    @Test
    void anOpenIncidentIsAProblemOnTheServicePageAndTheHomePage() {
        // the detector's verdict has gone back to none, the incident is still open
        Instant onset = rows.now().minus(2, ChronoUnit.HOURS);
        rows.status("la-poste", "none", null, 14, 12, 30);
        rows.incident("la-poste", onset, null, 61, 100);

        Document service = page("/services/la-poste");
        assertEquals("Problems", badge(service.selectFirst(".status-level")));
        assertTrue(service.selectFirst(".status-headline").text().startsWith("User reports indicate problems at La Poste since"),
                service.selectFirst(".status-headline").text());
        assertTrue(service.selectFirst("section.status").hasClass("status-problem"));
        assertEquals("Ongoing", service.selectFirst("table.incidents tr.open .ongoing").ownText().strip());

        Document home = page("/");
        assertEquals(List.of("La Poste"), problemNames(home));
        assertEquals("Problems", badge(home.selectFirst(".problem-card")));
        assertTrue(home.select(".calm").isEmpty(), "no 'no service has an unusual number' next to the list");
        assertTrue(home.selectFirst(".incident-list .incident.open .incident-service").text().equals("La Poste"));
        assertEquals("Problems", badge(categoryEntry(home, "la-poste")), "the category list says the same");

        // the API says what the pages say
        given().get("/api/v1/services/la-poste").then().statusCode(200)
                .body("status.level", org.hamcrest.Matchers.equalTo("problem"));
        given().get("/api/v1/services?status=problems&size=100").then().statusCode(200)
                .body("items.slug", org.hamcrest.Matchers.hasItem("la-poste"));
    }

    @Test
    void aCountAboveItsUpperBoundIsNeverCalledNoProblems() {
        // 86 reports against an upper bound of 40: whatever the level says, the page cannot say no problems
        rows.status("la-poste", "none", null, 86, 22, 40);
        Document service = page("/services/la-poste");
        Matcher m = EVIDENCE.matcher(service.selectFirst(".status-evidence").text());
        assertTrue(m.find(), service.selectFirst(".status-evidence").text());
        assertEquals(86, Integer.parseInt(m.group(1)));
        assertEquals("Possible problems", badge(service.selectFirst(".status-level")));
        assertTrue(service.selectFirst(".status-headline").text().contains("possible problems at La Poste"));

        Document home = page("/");
        assertEquals(List.of("La Poste"), problemNames(home));
        assertTrue(home.selectFirst(".problem-card .problem-evidence").text().startsWith("86 in the last 15 min"));
        given().get("/api/v1/services/la-poste").then().body("status.level", org.hamcrest.Matchers.equalTo("possible"));
    }

    @Test
    void theHomePageListAndItsCalmSentenceComeFromTheSameServices() {
        rows.status("free", "none", null, 3, 4, 12);
        Document calm = page("/");
        assertTrue(problemNames(calm).isEmpty());
        assertEquals("✓ No service has an unusual number of reports right now.", calm.selectFirst(".calm").text());
        assertEquals("No problems", okMark(categoryEntry(calm, "free")));
        Document free = page("/services/free");
        assertEquals("No problems", badge(free.selectFirst(".status-level")));
        assertTrue(free.selectFirst(".status-headline").text().contains("no current problems at Free"));

        rows.status("orange", "possible", rows.now().minusSeconds(600), 31, 12, 30);
        Document home = page("/");
        assertEquals(List.of("Orange"), problemNames(home));
        assertTrue(home.select(".calm").isEmpty());
        Document orange = page("/services/orange");
        assertEquals(badge(home.selectFirst(".problem-card")), badge(orange.selectFirst(".status-level")));
        Matcher m = EVIDENCE.matcher(orange.selectFirst(".status-evidence").text());
        assertTrue(m.find());
        assertTrue(home.selectFirst(".problem-card .problem-evidence").text()
                .startsWith(m.group(1) + " in the last " + m.group(2) + " min, about " + m.group(3) + " usual"),
                "the same evidence on both pages");
    }

    private static Document page(String path) {
        return Jsoup.parse(given().header("Accept-Language", "en").when().get(path).then().statusCode(200).extract().asString());
    }

    private static List<String> problemNames(Document home) {
        return home.select(".problem-list .problem-name").eachText();
    }

    /** The level badge's words, without its icon. */
    private static String badge(Element scope) {
        Element b = scope.selectFirst(".badge");
        return b.ownText().strip();
    }

    private static String okMark(Element entry) {
        return entry.selectFirst(".ok-mark .visually-hidden").text();
    }

    private static Element categoryEntry(Document page, String slug) {
        return page.selectFirst(".category-grid .service-list li:has(a[href=/services/" + slug + "])");
    }
}
