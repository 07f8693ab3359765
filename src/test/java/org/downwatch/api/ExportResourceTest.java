package org.downwatch.api;

import org.downwatch.testing.TestData;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ExportResourceTest {

    /** Raw bytes: no Accept-Encoding sent unless the test sets it, nothing decoded. */
    static final RestAssuredConfig RAW = RestAssuredConfig.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders());

    @Inject
    TestData data;

    @Test
    void exportsADayOfCountsThatMatchesTheSeriesApi() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        data.count("la-poste", "parcel-tracking", start.plusSeconds(6 * 3600 + 60), 7);
        data.count("la-poste", "delivery", start.plusSeconds(6 * 3600 + 14 * 60), 5);
        data.count("la-poste", "parcel-tracking", start.plusSeconds(23 * 3600 + 59 * 60), 2);
        data.count("sncf-connect", "tickets", start.plusSeconds(12 * 3600), 40);
        data.count("sncf-connect", "tickets", start.minusSeconds(60), 99); // the day before: not in the export

        Response r = given().config(RAW).get("/api/v1/export/counts?date=" + day);
        r.then().statusCode(200).contentType(containsString("text/csv")).header("Link", containsString("licenses/by/4.0"))
                .header("Cache-Control", equalTo("public, max-age=3600"));
        assertTrue(r.header("Content-Encoding") == null, "not gzipped unless asked");
        List<String> lines = r.asString().lines().toList();
        assertEquals(ExportResource.COUNTS_HEADER, lines.get(0));
        int services = given().get("/api/v1/services?size=1").then().extract().path("total");
        assertEquals(1 + services * 96, lines.size(), "96 quarter-hours per service");

        for (String slug : List.of("la-poste", "sncf-connect", "ants")) {
            List<String[]> rows = lines.stream().skip(1).map(l -> l.split(",", -1)).filter(c -> c[0].equals(slug)).toList();
            List<Map<String, Object>> points = given().get("/api/v1/services/" + slug + "/series?bucket=PT15M&from=" + start
                    + "&to=" + start.plusSeconds(86400)).then().statusCode(200).extract().jsonPath().getList("points");
            assertEquals(points.size(), rows.size(), slug);
            for (int i = 0; i < rows.size(); i++) {
                String[] c = rows.get(i);
                Map<String, Object> p = points.get(i);
                assertEquals(p.get("start"), c[1], slug);
                assertEquals(((Number) p.get("count")).intValue(), Integer.parseInt(c[2]), slug + " " + c[1]);
                if (p.get("baseline") == null) {
                    assertEquals("", c[3], "no baseline where the series has none");
                    assertEquals("", c[4]);
                } else {
                    assertEquals(((Number) p.get("baseline")).doubleValue(), Double.parseDouble(c[3]), 1e-4);
                    assertEquals(((Number) p.get("upper")).doubleValue(), Double.parseDouble(c[4]), 1e-4);
                }
                assertEquals("false", c[5]);
            }
        }
        String poste = String.join("\n", lines.stream().filter(l -> l.startsWith("la-poste,")).toList());
        assertTrue(poste.contains("la-poste," + start.plusSeconds(6 * 3600) + ",12,"), poste);
        assertTrue(poste.contains("la-poste," + start.plusSeconds(23 * 3600 + 45 * 60) + ",2,"), poste);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("sncf-connect," + start.plusSeconds(12 * 3600) + ",40,")));
    }

    @Test
    void gzipsWhenAskedAndRefusesBadDays() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(4);
        Response r = given().config(RAW).header("Accept-Encoding", "gzip").get("/api/v1/export/counts?date=" + day);
        r.then().statusCode(200).header("Content-Encoding", "gzip").header("Vary", containsString("Accept-Encoding"));
        String csv = new String(new GZIPInputStream(new ByteArrayInputStream(r.asByteArray())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(csv.startsWith(ExportResource.COUNTS_HEADER + "\n"));
        given().get("/api/v1/export/counts?date=2026-13-01").then().statusCode(400).body("errors[0].field", equalTo("date"));
        given().get("/api/v1/export/counts?date=" + LocalDate.now(ZoneOffset.UTC).plusDays(2)).then().statusCode(400);
    }

    @Test
    void exportsIncidentsAsCsvOrJson() {
        data.clearIncidents("revolut");
        Instant s = Instant.parse("2024-03-02T08:00:00Z");
        long id = data.incident("revolut", s, s.plusSeconds(3600), 77, 77);
        String range = "from=2024-03-01T00:00:00Z&to=2024-03-03T00:00:00Z";
        String csv = given().config(RAW).get("/api/v1/export/incidents?" + range).then().statusCode(200)
                .contentType(containsString("text/csv")).header("Link", containsString("licenses/by/4.0")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals(ExportResource.INCIDENTS_HEADER, lines.get(0));
        String row = lines.stream().filter(l -> l.startsWith(id + ",")).findFirst().orElseThrow();
        assertEquals(List.of(Long.toString(id), "revolut", "Revolut", "bank", "", "2024-03-02T08:00:00Z",
                "2024-03-02T08:05:00Z", "2024-03-02T08:15:00Z", "42", "2024-03-02T09:00:00Z", "77"),
                Arrays.asList(row.split(",", -1)));
        given().get("/api/v1/export/incidents?format=json&" + range).then().statusCode(200)
                .contentType(containsString("application/json"))
                .body("find { it.id == " + id + " }.service", equalTo("revolut"))
                .body("find { it.id == " + id + " }.reportCount", equalTo(77))
                .body("find { it.id == " + id + " }.endedAt", equalTo("2024-03-02T09:00:00Z"));
        given().header("Accept", "application/json").get("/api/v1/export/incidents?" + range).then().statusCode(200)
                .contentType(containsString("application/json"));
        given().get("/api/v1/export/incidents?from=2020-01-01T00:00:00Z&to=2024-01-01T00:00:00Z").then().statusCode(400);
        given().get("/api/v1/export/incidents?format=xml").then().statusCode(400).body("errors[0].field", equalTo("format"));
    }
}
