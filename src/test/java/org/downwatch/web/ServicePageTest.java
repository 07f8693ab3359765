package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.ProblemType;
import org.downwatch.testing.TestData;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServicePageTest {

    @Inject
    TestData data;

    @Inject
    Catalog catalog;

    @BeforeEach
    void quietSite() {
        data.clear();
    }

    @Test
    void saysInPlainEnglishWhenReportsIndicateProblems() {
        Instant since = data.now().minus(40, ChronoUnit.MINUTES);
        data.status("la-poste", "problem", since, 212, 9.2, 25);
        String utc = DateTimeFormatter.ofPattern("HH:mm").format(since.atZone(ZoneOffset.UTC));
        // a time zone cookie (as an earlier version of the page's script set it) changes nothing
        given().header("Accept-Language", "en-GB,en;q=0.9").cookie("tz", "Asia/Tokyo")
                .when().get("/services/la-poste")
                .then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("User reports indicate problems at La Poste since <time datetime=\"" + since + "\" data-fmt=\"when\">"
                        + utc + "</time>"))
                .body(containsString("212 reports in the last 15 minutes, where about 9 are usual at this time"))
                .body(containsString("status-problem"))
                .body(containsString("Times are shown in UTC"));
    }

    @Test
    void saysItInFrenchWithParisTimeWhenTheVisitorSpeaksFrench() {
        Instant since = data.now().minus(40, ChronoUnit.MINUTES);
        data.status("la-poste", "problem", since, 212, 9.2, 25);
        String paris = DateTimeFormatter.ofPattern("HH:mm").format(since.atZone(ZoneId.of("Europe/Paris")));
        given().header("Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
                .when().get("/services/la-poste")
                .then().statusCode(200)
                .header("Content-Language", "fr")
                .body(containsString("<html lang=\"fr\">"))
                .body(containsString("Les signalements des utilisateurs indiquent des problèmes chez La Poste depuis <time datetime=\""
                        + since + "\" data-fmt=\"when\">" + paris + "</time>"))
                .body(containsString("Heures affichées dans le fuseau Europe/Paris"))
                .body(containsString("212 signalements au cours des 15 dernières minutes, pour environ 9 d&#39;habitude à cette heure-ci"))
                .body(containsString("J&#39;ai un problème avec La Poste"));
    }

    @Test
    void saysPossibleProblemsAndNoProblemsInBothLanguages() {
        data.status("orange", "possible", data.now().minusSeconds(600), 31, 12.4, 30);
        given().header("Accept-Language", "en").when().get("/services/orange").then().statusCode(200)
                .body(containsString("User reports indicate possible problems at Orange"))
                .body(containsString("31 reports in the last 15 minutes, where about 12 are usual at this time"));
        given().queryParam("lang", "fr").when().get("/services/orange").then().statusCode(200)
                .body(containsString("Les signalements des utilisateurs indiquent de possibles problèmes chez Orange"));

        data.status("free", "none", null, 1, 0.2, 4);
        given().header("Accept-Language", "en").when().get("/services/free").then().statusCode(200)
                .body(containsString("User reports indicate no current problems at Free"))
                .body(containsString("1 report in the last 15 minutes, where none are usual at this time"));
        given().header("Accept-Language", "fr").when().get("/services/free").then().statusCode(200)
                .body(containsString("Les signalements des utilisateurs n&#39;indiquent aucun problème en cours chez Free"))
                .body(containsString("1 signalement au cours des 15 dernières minutes, pour aucun d&#39;habitude à cette heure-ci"));
    }

    @Test
    void aServiceNeverEvaluatedHasNoCurrentProblems() {
        given().when().get("/services/netflix").then().statusCode(200)
                .body(containsString("User reports indicate no current problems at Netflix"))
                .body(not(containsString("in the last 15 minutes")));
    }

    @Test
    void mostReportedProblemsAreSharesInPercent() {
        Instant now = data.now();
        data.count("colissimo", "parcel-tracking", now.minus(30, ChronoUnit.MINUTES), 2);
        data.count("colissimo", "parcel-tracking", now.minus(20, ChronoUnit.MINUTES), 1);
        data.count("colissimo", "delivery", now.minus(10, ChronoUnit.MINUTES), 1);
        String en = given().header("Accept-Language", "en").when().get("/services/colissimo").then().statusCode(200)
                .body(containsString("Most reported problems"))
                .body(containsString("Over the last 24 hours"))
                .extract().asString();
        assertEquals(Map.of("Parcel tracking", "75%", "Delivery", "25%"), shares(en));
        String fr = given().header("Accept-Language", "fr").when().get("/services/colissimo").then().statusCode(200)
                .extract().asString();
        assertEquals("75\u00a0%", shares(fr).get("Suivi de colis"));
    }

    @Test
    void duringAnIncidentSharesAreThoseOfTheIncident() {
        long open = data.incident("la-poste", data.now().minus(2, ChronoUnit.HOURS), null, 61, 100);
        data.incidentProblems(open, Map.of("parcel-tracking", 120, "website", 30, "delivery", 50));
        String page = given().header("Accept-Language", "en").when().get("/services/la-poste").then().statusCode(200)
                .body(containsString("Since the incident started at"))
                .body(containsString("Ongoing"))
                .body(containsString("61 reports/min"))
                .body(containsString("class=\"c-incident\""))
                .extract().asString();
        assertEquals(List.of("Parcel tracking", "Delivery", "Website"), List.copyOf(shares(page).keySet()),
                "most reported first");
        assertEquals(List.of("60%", "25%", "15%"), List.copyOf(shares(page).values()));
    }

    /** The page's "most reported problems", label to percentage, in the page's order. */
    static Map<String, String> shares(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element li : Jsoup.parse(html).select("ol.shares > li")) {
            // wholeText: text() would turn the French non-breaking space into a plain one
            out.put(li.selectFirst(".share-label").text(), li.selectFirst(".share-value").wholeText());
        }
        return out;
    }

    @Test
    void theReportFormFollowsTheContract() {
        int laPoste = catalog.service("la-poste").orElseThrow().id;
        Response r = given().header("Accept-Language", "en").when().get("/services/la-poste");
        r.then().statusCode(200)
                .body(containsString("<form method=\"post\" action=\"/services/la-poste/reports\""))
                .body(containsString("I have a problem with La Poste"))
                .body(containsString("<input type=\"hidden\" name=\"_csrf\" value=\""))
                .body(containsString("name=\"country\""))
                .body(containsString("name=\"city\""))
                .body(containsString("name=\"postcode\""))
                .body(not(containsString(PageResponses.TOKEN_MARK)))
                // Qute must not read the quantifier as an expression ("[A-Za-z]2" refuses every country)
                .body(containsString("pattern=\"[A-Za-z]{2}\""));
        for (ProblemType p : catalog.problemTypes(laPoste)) {
            assertTrue(r.asString().contains("name=\"problem\" value=\"" + p.slug + "\""), "radio for " + p.slug);
        }
    }

    @Test
    void thanksTheReporterAndExplainsErrors() {
        data.count("la-poste", "parcel-tracking", data.now(), 3);
        given().header("Accept-Language", "en").queryParam("reported", "counted").when().get("/services/la-poste")
                .then().statusCode(200)
                .header("Cache-Control", containsString("no-cache"))
                .body(containsString("Thank you: your report was counted."))
                .body(containsString("3 reports about La Poste in the last hour."));
        for (String duplicate : List.of("already", "duplicate")) {
            given().header("Accept-Language", "en").queryParam("reported", duplicate).when().get("/services/la-poste")
                    .then().body(containsString("Thank you: you already reported a problem with La Poste recently, we counted it once."))
                    .body(not(containsString("your report was counted")));
        }
        given().header("Accept-Language", "en").queryParam("reported", "network-limit").when().get("/services/la-poste")
                .then().body(containsString("Many reports about La Poste came from your network recently, so this one was not counted"))
                .body(not(containsString("you already reported")));
        given().header("Accept-Language", "fr").queryParam("reported", "network-limit").when().get("/services/la-poste")
                .then().body(containsString("Beaucoup de signalements pour La Poste sont venus de votre réseau récemment"));
        given().header("Accept-Language", "fr").queryParam("reported", "duplicate").when().get("/services/la-poste")
                .then().body(containsString("Merci : vous avez déjà signalé un problème avec La Poste récemment"));
        given().header("Accept-Language", "fr").queryParam("reported", "counted").when().get("/services/la-poste")
                .then().body(containsString("Merci : votre signalement a été compté."));
        given().header("Accept-Language", "en").queryParam("report_error", "country").when().get("/services/la-poste")
                .then().body(containsString("The country should be two letters, such as FR."));
        given().header("Accept-Language", "en").queryParam("report_error", "<script>x</script>").queryParam("reported", "<b>")
                .when().get("/services/la-poste")
                .then().body(containsString("Your report could not be sent. Please try again."))
                .body(not(containsString("<script>x")))
                .body(not(containsString("Thank you")));
    }

    @Test
    void unknownServiceGetsAFriendly404WithASearchBox() {
        given().header("Accept-Language", "en").when().get("/services/no-such-thing").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Page not found"))
                .body(containsString("action=\"/search\""))
                .body(not(containsString("Exception")));
        given().header("Accept-Language", "fr").when().get("/services/no-such-thing").then().statusCode(404)
                .body(containsString("Page introuvable"))
                .body(containsString("<html lang=\"fr\">"));
        given().when().get("/services/no-such-thing/chart.svg").then().statusCode(404);
        given().when().get("/categories/nope").then().statusCode(404).body(containsString("action=\"/search\""));
        given().when().get("/no/such/page").then().statusCode(404).body(containsString("Page not found"));
    }

    @Test
    void nothingAVisitorTypesIsEchoedUnescaped() {
        String evil = "<script>alert('x')</script>";
        String page = given().queryParam("q", evil).when().get("/search").then().statusCode(200).extract().asString();
        assertFalse(page.contains("<script>alert"), "the query is escaped");
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "and shown as text");
        String notFound = given().urlEncodingEnabled(true).when().get("/services/" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                .then().statusCode(404).extract().asString();
        assertFalse(notFound.contains("<script>alert"));
        String withLang = given().queryParam("lang", "fr\"><script>alert(1)</script>").queryParam("range", evil)
                .when().get("/services/la-poste").then().statusCode(200).extract().asString();
        assertFalse(withLang.contains("<script>alert"));
        given().cookie("tz", "<script>").cookie("lang", "<b>").when().get("/").then().statusCode(200)
                .body(containsString("Times are shown in UTC"));
        // a service name with markup, in a sentence that also holds a marked time: escaped all the same
        String marked = TemplateExtensions.timed("<b>" + TemplateExtensions.whenIn(data.now(), new Visitor("en", false, "/", ""))
                + "\"&").toString();
        assertTrue(marked.startsWith("&lt;b&gt;<time datetime=\"" + data.now() + "\" data-fmt=\"when\">"), marked);
        assertTrue(marked.endsWith("</time>&quot;&amp;"), marked);
    }

    @Test
    void searchIgnoresCaseAndAccents() {
        given().queryParam("q", "la poste").when().get("/search").then().statusCode(200)
                .body(containsString("<a href=\"/services/la-poste\">La Poste</a>"));
        given().queryParam("q", "SOCIETE gen").when().get("/search").then().statusCode(200)
                .body(containsString("Société Générale"))
                .body(containsString("1 service matches"));
        given().queryParam("q", "zzzz").header("Accept-Language", "fr").when().get("/search").then().statusCode(200)
                .body(containsString("Aucun service ne correspond à « zzzz »."));
    }

    @Test
    void pagesCarryAnETagAndAnswer304WhenUnchanged() {
        Response first = given().when().get("/services/la-poste");
        first.then().statusCode(200)
                .header("Cache-Control", containsString("max-age=30"))
                .header("Vary", containsString("Accept-Language"));
        String etag = first.getHeader("ETag");
        assertNotNull(etag);
        given().header("If-None-Match", etag).when().get("/services/la-poste")
                .then().statusCode(304).body(emptyString());
        given().header("If-None-Match", "\"something-else\"").when().get("/services/la-poste").then().statusCode(200);

        String home = given().when().get("/").then().statusCode(200).header("Cache-Control", containsString("max-age=30"))
                .extract().header("ETag");
        given().header("If-None-Match", home).when().get("/").then().statusCode(304);
    }

    @Test
    void theChartIsAlsoServedAloneAsSvg() {
        data.count("la-poste", "parcel-tracking", data.now().minus(2, ChronoUnit.HOURS), 7);
        Response r = given().when().get("/services/la-poste/chart.svg");
        r.then().statusCode(200)
                .contentType(startsWith("image/svg+xml"))
                .header("Cache-Control", containsString("max-age=30"))
                .body(containsString("<svg class=\"chart chart-wide\" xmlns=\"http://www.w3.org/2000/svg\""))
                .body(containsString("data-count=\"7\""))
                .body(not(containsString("points=\"true\"")))
                .body(containsString("<title id=\"chart-title-wide\">Report chart for La Poste</title>"));
        String etag = r.getHeader("ETag");
        given().header("If-None-Match", etag).when().get("/services/la-poste/chart.svg").then().statusCode(304);
        given().queryParam("range", "7d").queryParam("size", "narrow").when().get("/services/la-poste/chart.svg")
                .then().statusCode(200).body(containsString("chart-narrow")).body(containsString("data-count=\"7\""));
    }

    @Test
    void theChartDrawsTheBaselineBandAndTheUpperBoundOnceTheDetectorGivesThem() {
        Chart chart = new Chart("24h", ChartTest.day(9, 25), ChartTest.Q, ChartTest.FROM, java.time.ZoneOffset.UTC,
                java.util.Locale.ENGLISH, List.of(), Chart.Size.WIDE);
        Visitor v = new Visitor("en", java.time.ZoneOffset.UTC, false, false, "/", "");
        String svg = ServicePage.Templates.chart(v, catalog.service("la-poste").orElseThrow(), chart)
                .setLocale(java.util.Locale.ENGLISH).render();
        assertTrue(svg.contains("<polygon class=\"baseline-band\" points=\"" + chart.bands.get(0) + "\""), "band");
        assertTrue(svg.contains("<polyline class=\"upper-line\" points=\"" + chart.uppers.get(0) + "\""), "upper bound");
        assertTrue(svg.contains("class=\"bar high\""), "bars above the upper bound stand out");
        assertTrue(svg.contains("Usual volume over the period, on average: about 9 per 15 minutes."), svg);
    }

    @Test
    void theServicePageHasTheChartInlineWithATextAlternative() {
        data.count("la-poste", "parcel-tracking", data.now().minus(3, ChronoUnit.HOURS), 12);
        given().header("Accept-Language", "en").when().get("/services/la-poste").then().statusCode(200)
                .body(containsString("role=\"img\""))
                .body(containsString("12 reports in this period."))
                .body(containsString("<summary>Show the numbers</summary>"))
                .body(containsString("href=\"/services/la-poste?range=7d\""));
        given().header("Accept-Language", "en").queryParam("range", "7d").when().get("/services/la-poste").then()
                .statusCode(200)
                .body(containsString("Reports over the last 7 days"))
                .body(containsString("Reports per hour"));
    }

    @Test
    void theLanguageSwitchLastsThroughTheLinksNotACookie() {
        Response fr = given().queryParam("lang", "fr").header("Accept-Language", "en").when().get("/");
        fr.then().statusCode(200)
                .header("Set-Cookie", nullValue())
                .header("Cache-Control", containsString("public"))
                .header("Vary", not(containsString("Cookie")))
                .header("Vary", not(containsString("Accept-Language")))
                .body(containsString("<html lang=\"fr\">"))
                .body(containsString("href=\"/?lang=en\""))
                // the page's own links keep the language chosen by URL; the search form carries it too
                .body(containsString("href=\"/services/la-poste?lang=fr\""))
                .body(containsString("<input type=\"hidden\" name=\"lang\" value=\"fr\">"))
                .body(containsString("href=\"/css/downwatch.css\""))
                .body(containsString("Heures affichées dans le fuseau Europe/Paris"));
        given().queryParam("lang", "fr").when().get("/services/la-poste").then().statusCode(200)
                .body(containsString("action=\"/services/la-poste/reports?lang=fr\""))
                .body(containsString("href=\"/services/la-poste?range=7d&amp;lang=fr\""))
                .body(containsString("href=\"/services/la-poste?lang=en\""));
        // without ?lang=, the links are the plain shared URLs and Accept-Language chooses
        given().cookie("lang", "fr").header("Accept-Language", "en").when().get("/").then()
                .header("Vary", containsString("Accept-Language"))
                .body(containsString("<html lang=\"en\">"))
                .body(containsString("href=\"/services/la-poste\""))
                .body(not(containsString("name=\"lang\"")))
                .body(containsString("Times are shown in UTC"));
    }
}
