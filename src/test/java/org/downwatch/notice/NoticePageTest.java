package org.downwatch.notice;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.downwatch.catalog.Catalog;
import org.downwatch.detect.MinuteEvaluated;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service page shows the company's word beside the crowd's evidence, and says when maintenance is declared. */
@QuarkusTest
class NoticePageTest {

    @Inject
    TestData data;
    @Inject
    Notices notices;
    @Inject
    Catalog catalog;
    @Inject
    Event<MinuteEvaluated> evaluated;

    @Inject
    io.agroal.api.AgroalDataSource ds;

    @BeforeEach
    void quiet() throws Exception {
        data.clear();
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.execute("delete from service_notice");
            st.execute("delete from owner_key");
        }
    }

    String key(String slug) {
        return notices.createKey(catalog.require(slug), slug + " comms").plain();
    }

    static void post(String key, String slug, String body) {
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services/" + slug + "/notices").then().statusCode(201);
    }

    static String page(String path) {
        return given().header("Accept-Language", path.contains("lang=fr") ? "fr" : "en").get(path).then().statusCode(200)
                .extract().asString();
    }

    static String evidence(String html) {
        Matcher m = Pattern.compile("<p class=\"status-evidence\">(.*?)<span", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "the crowd's evidence is on the page");
        return m.group(1).strip();
    }

    @Test
    void showsAnOfficialNoticeBesideTheCrowdsUnchangedCounts() {
        Instant now = data.now();
        data.status("bouygues-telecom", "problem", now.minus(40, ChronoUnit.MINUTES), 212, 9.2, 25);
        long open = data.incident("bouygues-telecom", now.minus(40, ChronoUnit.MINUTES), null, 61, 300);
        data.incidentProblems(open, Map.of("internet", 200));
        String before = page("/services/bouygues-telecom");
        assertFalse(before.contains("class=\"official\""), "no owner, no notice: nothing of it on the page");

        post(key("bouygues-telecom"), "bouygues-telecom",
                "{\"kind\":\"identified\",\"message\":{\"fr\":\"Un équipement est en panne à Lyon.\",\"en\":\"A router failed in Lyon.\"}}");
        String en = page("/services/bouygues-telecom");
        assertTrue(en.contains("What Bouygues Telecom says"), en);
        assertTrue(en.contains("A router failed in Lyon."));
        assertTrue(en.contains(">Identified<"));
        assertTrue(Pattern.compile("Bouygues Telecom first spoke 4[01] min after people started reporting").matcher(en).find(), en);
        assertTrue(Pattern.compile("Official word after 4[01] min").matcher(en).find(), "in the incidents table too");
        assertEquals(evidence(before), evidence(en), "the crowd's counts are shown unchanged");
        assertTrue(en.indexOf("class=\"status status-problem\"") < en.indexOf("class=\"official\""),
                "beside the crowd's evidence, after it, never instead of it");

        String fr = page("/services/bouygues-telecom?lang=fr");
        assertTrue(fr.contains("Ce que dit Bouygues Telecom"));
        assertTrue(fr.contains("Un équipement est en panne à Lyon."));
        assertTrue(fr.contains(">Cause identifiée<"));
        assertTrue(fr.contains("lang=\"fr\""));
    }

    @Test
    void saysSoDuringADeclaredMaintenanceWindowAndLabelsTheIncident() {
        Instant now = Instant.now();
        post(key("sfr"), "sfr", "{\"kind\":\"maintenance\",\"message\":{\"fr\":\"Maintenance du réseau fixe\"},"
                + "\"startsAt\":\"" + now.minus(10, ChronoUnit.MINUTES) + "\",\"endsAt\":\"" + now.plus(2, ChronoUnit.HOURS) + "\"}");
        data.incident("sfr", now.plusSeconds(1), null, 30, 90);
        String en = page("/services/sfr");
        assertTrue(en.contains("Planned maintenance in progress until"), en);
        assertTrue(en.contains("During planned maintenance"), "the incident is labelled");
        assertTrue(en.contains("Maintenance du réseau fixe"), "the French message stands in for a missing English one");
        String fr = page("/services/sfr?lang=fr");
        assertTrue(fr.contains("Maintenance programmée en cours jusqu"));
        assertTrue(fr.contains("Pendant une maintenance programmée"));
    }

    @Test
    void aNoticeAppearsOnCachedPagesAtTheNextEvaluatedMinute() {
        long minute = Instant.now().getEpochSecond() / 60 - 1;
        evaluated.fire(new MinuteEvaluated(minute));
        String k = key("bouygues-telecom");
        assertFalse(page("/services/bouygues-telecom").contains("Cached pages wait"));
        post(k, "bouygues-telecom", "{\"kind\":\"investigating\",\"message\":{\"en\":\"Cached pages wait for the minute\"}}");
        assertFalse(page("/services/bouygues-telecom").contains("Cached pages wait"), "same version, same bytes");
        evaluated.fire(new MinuteEvaluated(minute + 1));
        assertTrue(page("/services/bouygues-telecom").contains("Cached pages wait for the minute"));
    }
}
