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
import java.util.List;
import org.downwatch.testing.TestData;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many services at once (issue 26): the home page's groups and a service page's "other services" line. */
@QuarkusTest
class ManyServicesPageTest {

    @Inject
    TestData data;

    Instant onset;

    /** The La Poste group's parcel systems fail this morning, an ISP is blamed too; DHL has its own problem. */
    @BeforeEach
    void aMorningOfManyServices() {
        data.clear();
        Instant now = data.now();
        onset = now.minus(3, ChronoUnit.HOURS);
        data.incident("la-poste", onset, null, 60, 900);
        data.incident("colissimo", onset.plus(3, ChronoUnit.MINUTES), null, 40, 500);
        data.incident("mondial-relay", onset.plus(4, ChronoUnit.MINUTES), now.minus(1, ChronoUnit.HOURS), 10, 80);
        data.incident("chronopost", onset.plus(6, ChronoUnit.MINUTES), null, 30, 300);
        data.incident("orange", onset.plus(8, ChronoUnit.MINUTES), null, 20, 120);
        data.incident("dhl", now.minus(20, ChronoUnit.HOURS), null, 10, 50);
        data.incident("ups", onset.plus(50, ChronoUnit.MINUTES), null, 10, 50); // the same morning, not the same minutes
    }

    @Test
    void theHomePageGroupsThemAndNamesTheLikelyCommonCause() {
        Document home = Jsoup.parse(given().header("Accept-Language", "en").get("/").asString());
        List<Element> groups = home.select(".groups .group");
        assertEquals(1, groups.size(), home.select(".groups").text());
        Element g = groups.get(0);
        assertTrue(g.selectFirst(".group-title").text().startsWith("4 services since "), g.text());
        assertEquals("Likely common cause: Groupe La Poste", g.selectFirst(".group-cause").text());
        assertEquals(List.of("/services/la-poste", "/services/colissimo", "/services/mondial-relay", "/services/chronopost"),
                g.select(".group-services a").eachAttr("href"));
        assertTrue(g.selectFirst(".group-services").text().contains("Mondial Relay (ended)"), g.text());
        assertEquals(List.of("/services/orange"), g.select(".group-collateral a").eachAttr("href"));
        assertTrue(g.selectFirst(".group-collateral").text().contains("probably as a side effect"));

        Document fr = Jsoup.parse(given().get("/?lang=fr").asString());
        Element gfr = fr.selectFirst(".groups .group");
        assertTrue(gfr.selectFirst(".group-title").text().startsWith("4 services depuis "), gfr.text());
        assertEquals("Cause commune probable : Groupe La Poste", gfr.selectFirst(".group-cause").text());
        assertTrue(fr.selectFirst(".groups h2").text().equals("Plusieurs services à la fois"));
    }

    @Test
    void aServicePageNamesTheOthersInTroubleSinceTheSameMinutes() {
        Document page = Jsoup.parse(given().header("Accept-Language", "en").get("/services/la-poste").asString());
        Element line = page.selectFirst(".together");
        assertNotNull(line, "the other services line");
        assertTrue(line.text().startsWith("Also having problems right now, since the same minutes ("), line.text());
        // open incidents only: Mondial Relay's ended; UPS started later; DHL is not in the group
        assertEquals(List.of("/services/colissimo", "/services/chronopost", "/services/orange"), line.select("a").eachAttr("href"));
        assertTrue(line.text().contains("Orange (probably a side effect)"), line.text());
        assertTrue(line.text().contains("Likely common cause: Groupe La Poste."), line.text());

        Element colissimo = Jsoup.parse(given().get("/services/colissimo?lang=fr").asString()).selectFirst(".together");
        assertTrue(colissimo.text().startsWith("Ont aussi des problèmes en ce moment, depuis les mêmes minutes ("), colissimo.text());
        // a page asked for with ?lang=fr keeps the language in its links (no cookie remembers it)
        assertEquals(List.of("/services/la-poste?lang=fr", "/services/chronopost?lang=fr", "/services/orange?lang=fr"),
                colissimo.select("a").eachAttr("href"));
    }

    @Test
    void aServiceInTroubleAloneOrNotAtAllSaysNothingOfOthers() {
        for (String s : List.of("dhl", "ups", "mondial-relay", "netflix")) {
            Document page = Jsoup.parse(given().header("Accept-Language", "en").get("/services/" + s).asString());
            assertNull(page.selectFirst(".together"), s);
        }
        data.clear();
        given().header("Accept-Language", "en").get("/").then().statusCode(200).body(not(containsString("Many services at once")));
    }
}
