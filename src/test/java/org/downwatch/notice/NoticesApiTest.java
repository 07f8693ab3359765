package org.downwatch.notice;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.downwatch.catalog.CatalogAdminProfile;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Owner keys, posting and reading official notices, and what they say about incidents, against a real PostgreSQL. */
@QuarkusTest
@TestProfile(CatalogAdminProfile.class)
class NoticesApiTest {

    static final String ADMIN = "catalog-admin-token"; // CatalogAdminProfile's

    @Inject
    AgroalDataSource ds;
    @Inject
    TestData data;

    @BeforeEach
    void quiet() throws Exception {
        data.clear();
        sql("delete from service_notice");
        sql("delete from owner_key");
        sql("delete from webhook_outbox where type = 'notice.posted'");
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN);
    }

    static String ownerKey(String slug) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", slug + " comms")).post("/api/v1/admin/services/" + slug
                + "/owner-keys").then().statusCode(201).extract().path("key");
    }

    static RequestSpecification owner(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static String notice(String kind, String fr, String en) {
        StringBuilder b = new StringBuilder("{\"kind\":\"" + kind + "\",\"message\":{");
        if (fr != null) {
            b.append("\"fr\":\"").append(fr).append('"').append(en != null ? "," : "");
        }
        if (en != null) {
            b.append("\"en\":\"").append(en).append('"');
        }
        return b.append("}}").toString();
    }

    @Test
    void adminCreatesAnOwnerKeyShownOnceAndStoredHashed() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/admin/services/la-poste/owner-keys")
                .then().statusCode(403).contentType("application/problem+json");
        admin().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/v1/admin/services/no-such/owner-keys")
                .then().statusCode(404);
        admin().contentType(ContentType.JSON).body("{}").post("/api/v1/admin/services/la-poste/owner-keys")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        var created = admin().contentType(ContentType.JSON).body(Map.of("name", "La Poste comms"))
                .post("/api/v1/admin/services/la-poste/owner-keys").then().statusCode(201)
                .header("Cache-Control", containsString("no-store"))
                .body("service", equalTo("la-poste")).body("name", equalTo("La Poste comms"))
                .body("key", matchesPattern("dw_[A-Za-z0-9_-]{43}")).extract().jsonPath();
        String key = created.getString("key");
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select key_hash, s.slug from owner_key k join service s on s.id = k.service_id where k.id = ?")) {
            ps.setLong(1, created.getLong("id"));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertArrayEquals(hash, rs.getBytes(1), "only the SHA-256 is kept");
                assertEquals("la-poste", rs.getString(2));
            }
        }
        // revoked: refused at once
        owner(key).body(notice("investigating", null, "Looking")).post("/api/v1/services/la-poste/notices").then().statusCode(201);
        admin().delete("/api/v1/admin/services/la-poste/owner-keys/" + created.getLong("id")).then().statusCode(204);
        owner(key).body(notice("investigating", null, "Looking")).post("/api/v1/services/la-poste/notices").then().statusCode(401);
    }

    @Test
    void postsAndListsNoticesInTheRequestedLanguage() {
        String key = ownerKey("la-poste");
        owner(key).body(notice("identified", "Le suivi des colis est en panne.", "Parcel tracking is down."))
                .post("/api/v1/services/la-poste/notices").then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/services/la-poste/notices/\\d+"))
                .body("kind", equalTo("identified")).body("official", equalTo(true)).body("kindLabel", equalTo("Identified"));
        owner(key).body(notice("monitoring", null, "Fixed, watching.")).post("/api/v1/services/la-poste/notices?lang=fr")
                .then().statusCode(201).body("kindLabel", equalTo("Sous surveillance"));

        given().header("Accept-Language", "fr-FR,fr;q=0.9").get("/api/v1/services/la-poste/notices").then().statusCode(200)
                .body("total", equalTo(2)).body("page", equalTo(1)).body("size", equalTo(20)).body("items", hasSize(2))
                .body("items[0].kind", equalTo("monitoring")).body("items[0].message", equalTo("Fixed, watching."))
                .body("items[0].messageLang", equalTo("en")).body("items[0].messages.fr", nullValue())
                .body("items[1].kindLabel", equalTo("Cause identifiée"))
                .body("items[1].message", equalTo("Le suivi des colis est en panne."));
        given().get("/api/v1/services/la-poste/notices?size=1&lang=en").then().statusCode(200)
                .header("Link", containsString("rel=\"next\"")).body("items", hasSize(1))
                .body("items[0].kindLabel", equalTo("Monitoring"));
        given().get("/api/v1/services/la-poste/notices?size=101").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/services/orange/notices").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void badInputIsAProblemAndStoresNothing() throws Exception {
        String key = ownerKey("orange");
        List<String> bodies = List.of("{\"kind\":\"panic\",\"message\":{\"en\":\"x\"}}", "{\"kind\":\"identified\"}",
                "{\"kind\":\"identified\",\"message\":{\"fr\":\"" + "é".repeat(1001) + "\"}}",
                "{\"kind\":\"identified\",\"message\":{\"en\":\"a\\u202Eb\"}}",
                "{\"kind\":\"identified\",\"message\":{\"en\":\"bell\\u0007\"}}",
                "{\"kind\":\"maintenance\",\"message\":{\"en\":\"x\"},\"startsAt\":\"2030-01-01T00:00:00Z\"}",
                "{\"kind\":\"maintenance\",\"message\":{\"en\":\"x\"},\"startsAt\":\"" + Instant.now().plusSeconds(7200)
                        + "\",\"endsAt\":\"" + Instant.now().plusSeconds(3600) + "\"}",
                "{\"kind\":\"resolved\",\"message\":{\"en\":\"x\"},\"endsAt\":\"2030-01-01T00:00:00Z\"}",
                "{\"kind\":", "[]", "{\"kind\":\"identified\",\"mesage\":{\"en\":\"x\"}}");
        for (String body : bodies) {
            owner(key).body(body).post("/api/v1/services/orange/notices").then().statusCode(400)
                    .contentType("application/problem+json").body("status", equalTo(400)).body("type", startsWith("https://"));
        }
        owner(key).body("{\"kind\":\"maintenance\",\"message\":{\"en\":\"x\"}}").post("/api/v1/services/orange/notices").then()
                .statusCode(400).body("errors.field", hasItems("startsAt", "endsAt"));
        assertEquals(0, count("select count(*) from service_notice"));
        assertEquals(0, count("select count(*) from webhook_outbox where type = 'notice.posted'"));
    }

    @Test
    void refusesAWrongKeyAndAnotherServicesKey() throws Exception {
        String orange = ownerKey("orange");
        String body = notice("identified", "Panne", null);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/services/la-poste/notices").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        owner("dw_" + "A".repeat(43)).body(body).post("/api/v1/services/la-poste/notices").then().statusCode(401);
        owner(orange).body(body).post("/api/v1/services/la-poste/notices").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("another service"));
        assertEquals(0, count("select count(*) from service_notice"));
    }

    @Test
    void labelsAnIncidentFoundDuringMaintenanceAndMeasuresTheCompanysDelay() {
        String key = ownerKey("sfr");
        Instant now = Instant.now();
        owner(key).body("{\"kind\":\"maintenance\",\"message\":{\"fr\":\"Maintenance du réseau\",\"en\":\"Network maintenance\"},"
                + "\"startsAt\":\"" + now.minus(10, ChronoUnit.MINUTES) + "\",\"endsAt\":\"" + now.plus(2, ChronoUnit.HOURS) + "\"}")
                .post("/api/v1/services/sfr/notices").then().statusCode(201).body("startsAt", startsWith(now.minus(10, ChronoUnit.MINUTES)
                        .toString().substring(0, 16)));
        // detected after the window was declared, inside it: maintenance; an earlier one is not
        long during = data.incident("sfr", now.plusSeconds(60), null, 20, 80);
        long before = data.incident("sfr", now.minus(3, ChronoUnit.HOURS), now.minus(2, ChronoUnit.HOURS), 20, 80);
        given().get("/api/v1/incidents/" + during).then().statusCode(200).body("maintenance", equalTo(true))
                .body("reportCount", equalTo(80));
        given().get("/api/v1/incidents?service=sfr").then().statusCode(200)
                .body("items.find { it.id == " + during + " }.maintenance", equalTo(true))
                .body("items.find { it.id == " + before + " }.maintenance", equalTo(false))
                .body("items.find { it.id == " + before + " }.firstNoticeAfter", nullValue());

        // the company's delay: from the incident's start to its first notice during it
        long open = data.incident("la-poste", now.minus(30, ChronoUnit.MINUTES), null, 40, 300);
        given().get("/api/v1/incidents/" + open).then().body("firstNoticeAfter", nullValue()).body("maintenance", equalTo(false));
        owner(ownerKey("la-poste")).body(notice("identified", "Panne identifiée", "Outage identified"))
                .post("/api/v1/services/la-poste/notices").then().statusCode(201);
        given().get("/api/v1/incidents/" + open).then().body("firstNoticeAfter", matchesPattern("PT30M(\\d+(\\.\\d+)?S)?"));
    }

    @Test
    void theServiceFeedCarriesNoticesAndTheMaintenanceLabelInBothLanguages() {
        String key = ownerKey("free");
        Instant now = Instant.now();
        owner(key).body("{\"kind\":\"maintenance\",\"message\":{\"fr\":\"Travaux sur la fibre\",\"en\":\"Fibre works\"},"
                + "\"startsAt\":\"" + now.minus(5, ChronoUnit.MINUTES) + "\",\"endsAt\":\"" + now.plus(1, ChronoUnit.HOURS) + "\"}")
                .post("/api/v1/services/free/notices").then().statusCode(201);
        data.incident("free", now.plusSeconds(30), null, 12, 50);
        String fr = given().get("/api/v1/services/free/incidents.atom?lang=fr").then().statusCode(200)
                .contentType(containsString("atom")).extract().asString();
        assertTrue(fr.contains("Communiqué officiel de Free : Maintenance programmée"), fr);
        assertTrue(fr.contains("Travaux sur la fibre"), fr);
        assertTrue(fr.contains("(pendant une maintenance programmée)"), fr);
        assertTrue(fr.contains("term=\"official-notice\""), fr);
        String en = given().header("Accept-Language", "en").get("/api/v1/services/free/incidents.atom").then().statusCode(200)
                .extract().asString();
        assertTrue(en.contains("Official notice from Free: Planned maintenance"), en);
        assertTrue(en.contains("Fibre works") && en.contains("(during planned maintenance)"), en);
    }

    @Test
    void noticesAreDocumentedInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/services/{slug}/notices'.post.summary", equalTo("Post an official notice"))
                .body("paths.'/api/v1/services/{slug}/notices'.post.responses.'403'.description", containsString("another service"))
                .body("paths.'/api/v1/services/{slug}/notices'.get.responses.'200'", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/admin/services/{slug}/owner-keys'.post.summary", equalTo("Create an owner key"))
                .body("components.schemas.Incident.properties.firstNoticeAfter.examples[0]", equalTo("PT23M"))
                .body("components.schemas.WebhookNoticeData.properties.kind.enum", hasItems("maintenance"))
                .body("components.schemas.WebhookEvent.properties.type.enum", hasItems("notice.posted"));
    }

    private void sql(String s) throws Exception {
        try (Connection c = ds.getConnection(); var st = c.createStatement()) {
            st.execute(s);
        }
    }

    private long count(String s) throws Exception {
        try (Connection c = ds.getConnection(); var st = c.createStatement(); ResultSet rs = st.executeQuery(s)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
