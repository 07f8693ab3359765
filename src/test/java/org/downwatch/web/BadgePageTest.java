package org.downwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

@QuarkusTest
class BadgePageTest {

    @Inject
    TestData data;

    private Document svg(Response r) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.asByteArray()));
    }

    @Test
    void showsTheLevelInItsColourInEnglishAndFrench() throws Exception {
        data.status("la-poste", "problem", Instant.now().minusSeconds(600), 80, 5, 20);
        Response en = given().get("/services/la-poste/badge.svg");
        en.then().statusCode(200).contentType(containsString("image/svg+xml"))
                .header("Cache-Control", equalTo("public, max-age=30")).header("Vary", containsString("Accept-Language"))
                .header("ETag", not(equalTo(null)));
        Document d = svg(en);
        assertEquals("La Poste: problems", d.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(en.asString().contains("fill=\"" + Badge.RED + "\""));

        Response fr = given().header("Accept-Language", "fr-FR,fr;q=0.9").get("/services/la-poste/badge.svg");
        assertEquals("La Poste: problèmes", svg(fr).getElementsByTagName("title").item(0).getTextContent());
        assertNotEquals(en.header("ETag"), fr.header("ETag"));
        given().get("/services/la-poste/badge.svg?lang=fr").then().statusCode(200).body(containsString("problèmes"));

        data.status("la-poste", "possible", Instant.now().minusSeconds(600), 10, 5, 20);
        Response possible = given().get("/services/la-poste/badge.svg");
        assertTrue(possible.asString().contains("possible problems") && possible.asString().contains(Badge.YELLOW));

        data.status("la-poste", "none", null, 2, 5, 20);
        Response none = given().get("/services/la-poste/badge.svg?lang=fr");
        assertTrue(none.asString().contains("aucun problème") && none.asString().contains(Badge.GREEN));
    }

    @Test
    void answers304WhenTheBrowserHasItAnd404ForAnUnknownService() {
        data.status("colissimo", "none", null, 0, 1, 5);
        String etag = given().get("/services/colissimo/badge.svg").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag).get("/services/colissimo/badge.svg").then().statusCode(304);
        data.status("colissimo", "problem", Instant.now(), 50, 1, 5);
        given().header("If-None-Match", etag).get("/services/colissimo/badge.svg").then().statusCode(200);
        given().get("/services/no-such-service/badge.svg").then().statusCode(404);
    }

    @Test
    void escapesTheNameAndWidensWithTheText() {
        String svg = Badge.svg("A&B <x>", Badge.look("none", false));
        assertTrue(svg.contains("A&amp;B &lt;x&gt;"), svg);
        assertTrue(Badge.width("problèmes possibles") > Badge.width("problems"));
    }
}
