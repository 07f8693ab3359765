package org.downwatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

@QuarkusTest
class IncidentsApiTest {

    private static final String ATOM = "http://www.w3.org/2005/Atom";

    @Inject
    TestData data;

    @Test
    void describesAnIncidentWithItsProblemTypes() {
        data.clearIncidents("ants");
        Instant start = Instant.parse("2025-05-06T07:00:00Z");
        long id = data.incident("ants", start, start.plusSeconds(7200), 42, 120);
        data.incidentProblems(id, Map.of("online-procedures", 90, "payments", 30));
        given().get("/api/v1/incidents/" + id).then().statusCode(200)
                .body("id", equalTo((int) id)).body("service", equalTo("ants"))
                .body("startedAt", equalTo("2025-05-06T07:00:00Z"))
                .body("detectedAt", equalTo("2025-05-06T07:05:00Z"))
                .body("peakAt", equalTo("2025-05-06T07:15:00Z")).body("peakCount", equalTo(42))
                .body("endedAt", equalTo("2025-05-06T09:00:00Z"))
                .body("open", equalTo(false)).body("reportCount", equalTo(120))
                .body("problems", hasSize(2))
                .body("problems[0].slug", equalTo("online-procedures")).body("problems[0].label", equalTo("Online procedures"))
                .body("problems[0].count", equalTo(90)).body("problems[0].share", equalTo(0.75f))
                .body("problems[1].share", equalTo(0.25f));
        given().get("/api/v1/incidents/" + id + "?lang=fr").then().statusCode(200)
                .body("problems[0].label", equalTo("Démarches en ligne"));
    }

    @Test
    void answers404ForAnUnknownIncident() {
        given().get("/api/v1/incidents/999999999").then().statusCode(404)
                .contentType(containsString("application/problem+json"));
        given().get("/api/v1/incidents/abc").then().statusCode(404);
    }

    @Test
    void filtersIncidentsByServiceStateAndTime() {
        data.clearIncidents("franceconnect");
        Instant old = Instant.parse("2025-06-01T10:00:00Z");
        long closed = data.incident("franceconnect", old, old.plusSeconds(3600), 42, 50);
        data.incidentProblems(closed, Map.of("login", 50));
        long open = data.incident("franceconnect", data.now().minusSeconds(1800), null, 42, 10);

        given().get("/api/v1/incidents?service=franceconnect").then().statusCode(200)
                .body("total", equalTo(2)).body("items[0].id", equalTo((int) open)).body("items[1].id", equalTo((int) closed))
                .body("items[0].open", equalTo(true)).body("items[0].endedAt", nullValue())
                .body("items[0].problems", hasSize(0));
        given().get("/api/v1/incidents?service=franceconnect&state=open").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo((int) open));
        given().get("/api/v1/incidents?service=franceconnect&state=closed").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo((int) closed));
        given().get("/api/v1/incidents?service=franceconnect&from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z")
                .then().statusCode(200).body("items.id", hasItem((int) closed)).body("items.id", not(hasItem((int) open)));
        given().get("/api/v1/incidents?state=open&size=100").then().statusCode(200)
                .body("items.open", everyItem(equalTo(true))).body("items.id", hasItem((int) open));
    }

    @Test
    void paginatesIncidents() {
        data.clearIncidents("caf");
        Instant t = Instant.parse("2025-07-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            data.incident("caf", t.plusSeconds(i * 86400L), t.plusSeconds(i * 86400L + 3600), 42, 10);
        }
        Response r = given().get("/api/v1/incidents?service=caf&size=2&page=2");
        r.then().statusCode(200).body("items", hasSize(2)).body("total", equalTo(5)).body("page", equalTo(2));
        List<String> links = r.headers().getValues("Link");
        assertTrue(links.stream().anyMatch(l -> l.contains("rel=\"next\"") && l.contains("page=3")), links.toString());
        assertTrue(links.stream().anyMatch(l -> l.contains("rel=\"prev\"") && l.contains("page=1")), links.toString());
        given().get("/api/v1/incidents?service=caf&size=2&page=3").then().statusCode(200).body("items", hasSize(1));
        given().get("/api/v1/incidents?size=500").then().statusCode(400).body("errors[0].field", equalTo("size"));
    }

    @Test
    void rejectsBadIncidentFiltersNamingThem() {
        given().get("/api/v1/incidents?service=nope").then().statusCode(400).body("errors[0].field", equalTo("service"));
        given().get("/api/v1/incidents?state=maybe").then().statusCode(400).body("errors[0].field", equalTo("state"));
        given().get("/api/v1/incidents?from=monday").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().get("/api/v1/incidents?to=2025-01-01").then().statusCode(400).body("errors[0].field", equalTo("to"));
    }

    @Test
    void publishesAnAtomFeedOfAllIncidents() throws Exception {
        data.clearIncidents("ameli");
        Instant start = data.now().minusSeconds(7200);
        long id = data.incident("ameli", start, start.plusSeconds(3600), 42, 77);
        data.incidentProblems(id, Map.of("login", 7));
        Response r = given().get("/api/v1/incidents.atom");
        r.then().statusCode(200).contentType(containsString("application/atom+xml"));
        Document feed = parse(r.asByteArray());
        Element root = feed.getDocumentElement();
        assertEquals(ATOM, root.getNamespaceURI());
        assertEquals("feed", root.getLocalName());
        for (String required : List.of("id", "title", "updated", "author")) {
            assertEquals(1, children(root, required).size(), "feed has one " + required);
        }
        List<Element> entries = children(root, "entry");
        assertTrue(!entries.isEmpty(), "entries");
        Element ours = entries.stream().filter(e -> text(e, "id").endsWith("incidents/" + id)).findFirst().orElseThrow();
        assertTrue(text(ours, "title").startsWith("Ameli"), text(ours, "title"));
        assertTrue(text(ours, "summary").contains("77 reports"), text(ours, "summary"));
        for (Element e : entries) {
            assertTrue(!text(e, "id").isEmpty() && !text(e, "title").isEmpty() && !text(e, "updated").isEmpty());
            Instant.parse(text(e, "updated"));
        }
    }

    @Test
    void publishesAnAtomFeedPerService() throws Exception {
        data.clearIncidents("ants");
        Instant start = Instant.parse("2025-08-01T08:00:00Z");
        data.incident("ants", start, start.plusSeconds(600), 42, 12);
        data.incident("ants", start.plusSeconds(86400), null, 42, 3);
        Response r = given().get("/api/v1/services/ants/incidents.atom");
        r.then().statusCode(200).contentType(containsString("application/atom+xml"));
        String etag = r.header("ETag");
        Document feed = parse(r.asByteArray());
        List<Element> entries = children(feed.getDocumentElement(), "entry");
        assertEquals(2, entries.size());
        assertTrue(text(entries.get(0), "title").contains("since"), "newest, open incident first");
        given().header("If-None-Match", etag).get("/api/v1/services/ants/incidents.atom").then().statusCode(304);
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && ATOM.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? "" : c.get(0).getTextContent();
    }
}
