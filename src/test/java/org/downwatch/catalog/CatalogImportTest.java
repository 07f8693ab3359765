package org.downwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.downwatch.catalog.CatalogAdminProfile.admin;
import static org.downwatch.catalog.CatalogAdminProfile.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogAdminProfile.class)
class CatalogImportTest {

    @Inject
    CatalogTestData data;

    @Inject
    Catalog catalog;

    /** {@code n} services as CSV, the one at {@code bad} (if any) in a category that does not exist. */
    static String csv(String prefix, int n, int bad) {
        StringBuilder b = new StringBuilder(CatalogFiles.CSV_HEADER).append("\r\n");
        for (int i = 0; i < n; i++) {
            b.append("service,").append(prefix).append('-').append(i).append(",\"Service ").append(i).append(", Inc.\",,")
                    .append(i == bad ? "no-such-category" : i % 2 == 0 ? "bank" : "telecom").append(",FR,https://s")
                    .append(i).append(".example,Alias ").append(i).append("|Other ").append(i).append(',')
                    .append(i % 3 == 0 ? "login" : "").append(",,false\r\n");
        }
        return b.toString();
    }

    private long count(String prefix) {
        return data.number("select count(*) from service where slug like '" + prefix + "-%'");
    }

    private long version() {
        return data.number("select version from catalog_version");
    }

    @Test
    void anImportOfFiveThousandServicesWithOneBadLineIsRejectedWholeNamingTheLine() {
        String prefix = unique("bulk");
        Response r = admin().contentType("text/csv").body(csv(prefix, 5000, 2500)).post("/api/v1/admin/catalog");
        r.then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("errors", hasSize(1))
                .body("errors[0].line", equalTo(2502)) // the header is line 1, the service 0 line 2
                .body("errors[0].field", equalTo("category"))
                .body("detail", containsString("line 2502"));
        assertEquals(0, count(prefix));

        long before = version();
        admin().contentType("text/csv").body(csv(prefix, 5000, -1)).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(5000)).body("services.updated", equalTo(0));
        assertEquals(5000, count(prefix));
        assertEquals(before + 1, version());
        Service one = catalog.require(prefix + "-3");
        assertEquals("Service 3, Inc.", one.name);
        assertEquals("login", catalog.problemTypes(one.id).get(0).slug);
        assertEquals(prefix + "-3", catalog.search("other 3").stream().filter(s -> s.slug.startsWith(prefix)).findFirst()
                .orElseThrow().slug);
    }

    @Test
    void theSameImportTwiceChangesNothing() {
        String prefix = unique("twice");
        String file = csv(prefix, 300, -1);
        admin().contentType("text/csv").body(file).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(300));
        long version = version();
        long audits = data.number("select count(*) from catalog_audit");
        admin().contentType("text/csv").body(file).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(0)).body("services.updated", equalTo(0))
                .body("services.unchanged", equalTo(300));
        assertEquals(version, version());
        assertEquals(audits, data.number("select count(*) from catalog_audit"));

        // one changed row is one update
        admin().contentType("text/csv").body(file.replace("Service 7, Inc.", "Service Seven")).post("/api/v1/admin/catalog")
                .then().statusCode(200).body("services.updated", equalTo(1)).body("services.unchanged", equalTo(299));
        assertEquals("Service Seven", catalog.require(prefix + "-7").name);
        admin().get("/api/v1/admin/audit?subject=catalog&size=1").then().statusCode(200)
                .body("items[0].action", equalTo("import")).body("items[0].details.services.updated", equalTo(1));
    }

    @Test
    void aJsonImportNamesTheLineAndFieldOfEachError() {
        String prefix = unique("json");
        String body = """
                {
                  "problemTypes": [
                    {"slug": "%1$s-type", "labelEn": "Teleport", "labelFr": "Téléportation"}
                  ],
                  "categories": [
                    {"slug": "%1$s-cat", "nameEn": "Teleports", "nameFr": "Téléports", "problemTypes": ["%1$s-type"]}
                  ],
                  "services": [
                    {"slug": "%1$s-a", "name": "Beam A", "category": "%1$s-cat"},
                    {"slug": "%1$s-b", "name": "Beam B", "category": "%1$s-cat",
                     "country": "Nowhere"},
                    {"slug": "%1$s-a", "name": "Beam A again", "category": "bank", "colour": "red"}
                  ]
                }
                """.formatted(prefix);
        Response r = admin().contentType("application/json").body(body).post("/api/v1/admin/catalog");
        r.then().statusCode(400)
                .body("errors.line", equalTo(java.util.List.of(10, 12)))
                .body("errors.field", equalTo(java.util.List.of("services[1].country", "services[2].colour")));
        assertEquals(0, count(prefix));

        String fixed = body.replace("\"Nowhere\"", "\"\"").replace(", \"colour\": \"red\"", "").replace("\"slug\": \"" + prefix
                + "-a\", \"name\": \"Beam A again\"", "\"slug\": \"" + prefix + "-c\", \"name\": \"Beam C\"");
        admin().contentType("application/json").body(fixed).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(3)).body("categories.created", equalTo(1)).body("problemTypes.created", equalTo(1));
        given().get("/api/v1/services/{slug}?lang=fr", prefix + "-b").then().statusCode(200)
                .body("problemTypes[0].label", equalTo("Téléportation"));
    }

    @Test
    void anExportImportsBackAsANoOpInJsonAndCsv() {
        CatalogAdminTest.create(unique("exported"), "Exported, \\\"Quoted\\\"", "bank", ", \"aliases\": [\"Ex\"]");
        String json = admin().accept("application/json").get("/api/v1/admin/catalog").then().statusCode(200).extract().asString();
        admin().contentType("application/json").body(json).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(0)).body("services.updated", equalTo(0))
                .body("categories.updated", equalTo(0)).body("problemTypes.updated", equalTo(0));
        String csv = admin().get("/api/v1/admin/catalog?format=csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        admin().contentType("text/csv").body(csv).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(0)).body("services.updated", equalTo(0))
                .body("categories.updated", equalTo(0)).body("problemTypes.updated", equalTo(0));
    }

    @Test
    void theSeedIsTheCatalogAFreshInstallationStartsWith() throws IOException {
        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("/catalog/seed.json")) {
            seed = in.readAllBytes();
        }
        // V2 loaded the 62 demo services; the seed file is the same catalog, so importing it changes nothing
        admin().contentType("application/json").body(seed).post("/api/v1/admin/catalog").then().statusCode(200)
                .body("services.created", equalTo(0)).body("services.updated", equalTo(0)).body("services.unchanged", equalTo(62))
                .body("categories.created", equalTo(0)).body("categories.updated", equalTo(0))
                .body("problemTypes.created", equalTo(0)).body("problemTypes.updated", equalTo(0));
    }
}
