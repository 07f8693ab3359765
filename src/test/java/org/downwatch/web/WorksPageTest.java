package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.downwatch.detect.MinuteEvaluated;
import org.downwatch.report.ReportFormToken;
import org.downwatch.testing.TestData;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service page's two sides of the last hour and its "It works for me" button. */
@QuarkusTest
class WorksPageTest {

    @Inject
    TestData data;
    @Inject
    PageCache cache;
    @Inject
    Event<MinuteEvaluated> evaluated;
    @Inject
    ReportFormToken tokens;

    Instant now;

    @BeforeEach
    void lastHourAtLaPoste() {
        data.clear();
        now = data.now();
        data.count("la-poste", "parcel-tracking", now.minus(10, ChronoUnit.MINUTES), 200);
        data.count("la-poste", "website", now.minus(20, ChronoUnit.MINUTES), 12);
        data.count("la-poste", "parcel-tracking", now.minus(3, ChronoUnit.HOURS), 80); // not the last hour
        data.works("la-poste", now.minus(15, ChronoUnit.MINUTES), 30);
        data.works("la-poste", now.minus(25, ChronoUnit.MINUTES), 1);
        data.works("la-poste", now.minus(5, ChronoUnit.HOURS), 50); // not the last hour
    }

    @AfterEach
    void renderPerRequestAgain() {
        cache.reset();
    }

    @Test
    void showsBothSidesOfTheLastHourInEnglishAndFrench() {
        given().header("Accept-Language", "en").get("/services/la-poste").then().statusCode(200)
                .body(containsString("In the last hour: 212 reports of a problem, 31 people say it works."))
                .body(containsString("Does La Poste work for you?"));
        given().get("/services/la-poste?lang=fr").then().statusCode(200)
                .body(containsString("Dernière heure : 212 signalements de problème, 31 personnes disent que ça marche."))
                .body(containsString("Ça marche chez moi"));
        data.clear();
        data.works("la-poste", now.minus(5, ChronoUnit.MINUTES), 1);
        data.count("la-poste", "website", now.minus(5, ChronoUnit.MINUTES), 1);
        given().header("Accept-Language", "en").get("/services/la-poste").then()
                .body(containsString("In the last hour: 1 report of a problem, 1 person says it works."));
        given().get("/services/la-poste?lang=fr").then()
                .body(containsString("Dernière heure : 1 signalement de problème, 1 personne dit que ça marche."));
        data.clear();
        data.count("la-poste", "website", now.minus(5, ChronoUnit.MINUTES), 3);
        given().get("/services/la-poste?lang=fr").then()
                .body(containsString("Dernière heure : 3 signalements de problème, personne ne dit que ça marche."));
    }

    @Test
    void theButtonPostsToTheWorksFormWithTheWindowsToken() {
        evaluated.fire(new MinuteEvaluated(now.getEpochSecond() / 60 - 1));
        Document page = Jsoup.parse(given().header("Accept-Language", "en").get("/services/la-poste").asString());
        Element form = page.selectFirst("form.works-form");
        assertEquals("/services/la-poste/works", form.attr("action"));
        assertEquals("post", form.attr("method"));
        assertEquals(tokens.issueForWindow(now), form.selectFirst("input[name=_csrf]").attr("value"));
        assertEquals("It works for me", form.selectFirst("button").text());
    }

    @Test
    void theSharedPageReadsTheCountsWhenItsVersionIsRendered() {
        long minute = now.getEpochSecond() / 60 - 1;
        evaluated.fire(new MinuteEvaluated(minute));
        given().header("Accept-Language", "en").get("/services/la-poste").then()
                .body(containsString("212 reports of a problem, 31 people say it works"));
        data.works("la-poste", now.minus(15, ChronoUnit.MINUTES), 40);
        // within the minute: the same bytes, no query per request
        given().header("Accept-Language", "en").get("/services/la-poste").then()
                .body(containsString("31 people say it works"));
        evaluated.fire(new MinuteEvaluated(minute + 1));
        given().header("Accept-Language", "en").get("/services/la-poste").then()
                .body(containsString("212 reports of a problem, 41 people say it works"));
    }

    @Test
    void thanksTheVisitorAfterTheButton() {
        given().header("Accept-Language", "en").get("/services/la-poste?works=counted").then().statusCode(200)
                .body(containsString("Thank you: we counted that La Poste works for you."))
                .header("Cache-Control", not(containsString("public")));
        given().get("/services/la-poste?works=duplicate&lang=fr").then().statusCode(200)
                .body(containsString("Vous avez déjà dit que La Poste fonctionne chez vous"));
        given().header("Accept-Language", "en").get("/services/la-poste?works=<script>").then().statusCode(200)
                .body(not(containsString("Thank you: we counted"))).body(not(containsString("<script>")));
    }
}
