package org.downwatch.catalog;

import static io.restassured.RestAssured.given;
import static org.downwatch.catalog.CatalogAdminProfile.admin;
import static org.downwatch.catalog.CatalogAdminProfile.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(CatalogAdminProfile.class)
class CatalogAdminTest {

    @Inject
    Catalog catalog;

    @Inject
    CatalogTestData data;

    static String create(String slug, String name, String category, String extra) {
        admin().contentType("application/json")
                .body("{\"slug\": \"" + slug + "\", \"name\": \"" + name + "\", \"category\": \"" + category + "\"" + extra + "}")
                .post("/api/v1/admin/services").then().statusCode(201)
                .header("Location", endsWith("/api/v1/admin/services/" + slug));
        return slug;
    }

    @Test
    void aNewServiceIsReportableAtOnceAndItsPageSaysThereIsLittleHistory() {
        String slug = create(unique("neobank"), "Neo Bank", "bank", ", \"country\": \"fr\", \"websiteUrl\": \"https://neo.example\"");
        given().get("/api/v1/services/{slug}", slug).then().statusCode(200)
                .body("name", equalTo("Neo Bank")).body("country", equalTo("FR"))
                .body("problemTypes.slug", hasItems("online-banking", "card-payments"));
        given().contentType("application/json").header("X-Forwarded-For", "198.51.100.77")
                .body("{\"problem\": \"online-banking\"}").post("/api/v1/services/{slug}/reports", slug)
                .then().statusCode(201).body("service", equalTo(slug)).body("counted", equalTo(true));
        given().header("Accept-Language", "en").get("/services/{slug}", slug).then().statusCode(200)
                .body(containsString("there is little history yet"));
        // three days on, the page no longer says so
        data.execute("update service set created_at = now() - interval '73 hours' where slug = '" + slug + "'");
        catalog.refresh();
        given().header("Accept-Language", "en").get("/services/{slug}", slug).then().statusCode(200)
                .body(not(containsString("little history")));
    }

    @Test
    void aRenamedServiceAnswersAtItsOldSlugWithARedirect() {
        String old = create(unique("oldname"), "Old Name", "telecom", "");
        String renamed = unique("newname");
        admin().contentType("application/json").body("{\"slug\": \"" + renamed + "\", \"name\": \"New Name\"}")
                .patch("/api/v1/admin/services/{slug}", old).then().statusCode(200)
                .body("slug", equalTo(renamed)).body("name", equalTo("New Name")).body("oldSlugs", hasItem(old));

        given().redirects().follow(false).get("/api/v1/services/{slug}/series?bucket=PT1H", old).then().statusCode(301)
                .header("Location", endsWith("/api/v1/services/" + renamed + "/series?bucket=PT1H"))
                .contentType(containsString("application/problem+json"))
                .body("slug", equalTo(renamed)).body("status", equalTo(301));
        given().redirects().follow(false).get("/api/v1/services/{slug}", old).then().statusCode(301)
                .header("Location", endsWith("/api/v1/services/" + renamed));
        given().redirects().follow(false).get("/services/{slug}?range=7d", old).then().statusCode(301)
                .header("Location", endsWith("/services/" + renamed + "?range=7d"));
        given().get("/api/v1/services/{slug}", old).then().statusCode(200).body("name", equalTo("New Name"));
        // a report to the old slug counts for the service it now names
        given().contentType("application/json").header("X-Forwarded-For", "198.51.100.78")
                .body("{\"problem\": \"internet\"}").post("/api/v1/services/{slug}/reports", old)
                .then().statusCode(201).body("service", equalTo(renamed));

        admin().get("/api/v1/admin/audit?subject=service:{slug}", old).then().statusCode(200)
                .body("items[0].action", equalTo("service.update")).body("items[0].actor", equalTo("admin-token (tests)"))
                .body("items[0].details.before.slug", equalTo(old)).body("items[0].details.after.slug", equalTo(renamed))
                .body("items[0].details.after.name", equalTo("New Name"));
        // the old slug stays reserved
        admin().contentType("application/json").body("{\"slug\": \"" + old + "\", \"name\": \"Squatter\", \"category\": \"bank\"}")
                .post("/api/v1/admin/services").then().statusCode(409).body("errors[0].field", equalTo("slug"));
    }

    @Test
    void aServiceIsRecategorisedAndHidden() {
        String slug = create(unique("movable"), "Movable Feast", "games", "");
        admin().contentType("application/json").body("{\"category\": \"streaming\"}").patch("/api/v1/admin/services/{slug}", slug)
                .then().statusCode(200).body("category", equalTo("streaming"));
        given().get("/api/v1/services/{slug}", slug).then().statusCode(200).body("category", equalTo("streaming"))
                .body("problemTypes.slug", hasItem("playback"));

        admin().contentType("application/json").body("{\"hidden\": true}").patch("/api/v1/admin/services/{slug}", slug)
                .then().statusCode(200).body("hidden", equalTo(true));
        given().get("/api/v1/services/{slug}", slug).then().statusCode(404);
        given().get("/services/{slug}", slug).then().statusCode(404);
        given().get("/api/v1/services?q=movable feast").then().statusCode(200).body("total", equalTo(0));
        admin().get("/api/v1/admin/services/{slug}", slug).then().statusCode(200).body("hidden", equalTo(true));

        admin().contentType("application/json").body("{\"hidden\": false}").patch("/api/v1/admin/services/{slug}", slug)
                .then().statusCode(200);
        given().get("/api/v1/services?q=movable feast").then().statusCode(200).body("items.slug", hasItem(slug));
    }

    @Test
    void searchFindsAServiceByItsAliases() {
        String slug = create(unique("lyonnais"), "LCL Test", "bank", ", \"aliases\": [\"Crédit Lyonnais Test\"]");
        given().get("/api/v1/services?q=credit lyonnais test").then().statusCode(200).body("items.slug", hasItem(slug));
        assertTrue(catalog.search("CRÉDIT LYONNAIS TEST").stream().anyMatch(s -> s.slug.equals(slug)));
        admin().contentType("application/json").body("{\"aliases\": []}").patch("/api/v1/admin/services/{slug}", slug)
                .then().statusCode(200);
        given().get("/api/v1/services?q=credit lyonnais test").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void categoriesAndProblemTypesHaveLabelsInFrenchAndEnglish() {
        String type = unique("drone-delivery");
        String category = unique("drones");
        admin().contentType("application/json")
                .body("{\"slug\": \"" + type + "\", \"labelEn\": \"Drone delivery\", \"labelFr\": \"Livraison par drone\"}")
                .post("/api/v1/admin/problem-types").then().statusCode(201);
        admin().contentType("application/json").body("{\"slug\": \"" + category + "\", \"nameEn\": \"Drones\", \"nameFr\": \"Drones FR\", "
                + "\"problemTypes\": [\"" + type + "\", \"website\"]}")
                .post("/api/v1/admin/categories").then().statusCode(201).body("problemTypes", equalTo(List.of(type, "website")));
        String slug = create(unique("skyparcel"), "Sky Parcel", category, "");

        given().get("/api/v1/services/{slug}?lang=fr", slug).then().statusCode(200)
                .body("problemTypes[0].slug", equalTo(type)).body("problemTypes[0].label", equalTo("Livraison par drone"));
        given().get("/api/v1/categories?lang=fr").then().statusCode(200).body("find { it.slug == '" + category + "' }.name",
                equalTo("Drones FR"));
        admin().contentType("application/json").body("{\"labelFr\": \"Livraison aérienne\"}")
                .patch("/api/v1/admin/problem-types/{slug}", type).then().statusCode(200).body("labelEn", equalTo("Drone delivery"));
        admin().contentType("application/json").body("{\"nameEn\": \"Drones & UAV\"}").patch("/api/v1/admin/categories/{slug}", category)
                .then().statusCode(200).body("nameFr", equalTo("Drones FR"));
        given().get("/api/v1/services/{slug}?lang=fr", slug).then().body("problemTypes[0].label", equalTo("Livraison aérienne"));
        given().get("/api/v1/categories?lang=en").then().body("find { it.slug == '" + category + "' }.name", equalTo("Drones & UAV"));
    }

    @Test
    void badInputIsRefusedNamingEachFieldAndNothingIsWritten() {
        String slug = unique("broken");
        Response r = admin().contentType("application/json")
                .body("{\"slug\": \"" + slug + "\", \"name\": \"Broken\", \"category\": \"nope\", \"country\": \"France\", "
                        + "\"websiteUrl\": \"ftp://x\", \"problemTypes\": [\"nope-type\"]}")
                .post("/api/v1/admin/services");
        r.then().statusCode(400).contentType(containsString("application/problem+json"));
        List<String> fields = r.jsonPath().getList("errors.field");
        assertEquals(List.of("category", "country", "websiteUrl", "problemTypes"), fields);
        admin().get("/api/v1/admin/services/{slug}", slug).then().statusCode(404);
        admin().contentType("application/json").body("{\"slug\": \"Not A Slug\", \"name\": \"x\", \"category\": \"bank\"}")
                .post("/api/v1/admin/services").then().statusCode(400).body("errors[0].field", equalTo("slug"));
        admin().contentType("application/json").body("{\"name\": \"\"}").patch("/api/v1/admin/services/la-poste")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        assertEquals("La Poste", catalog.require("la-poste").name);
    }

    @Test
    void theCatalogAdminNeedsTheAdminToken() {
        given().contentType("application/json").body(Map.of("slug", "x", "name", "x", "category", "bank"))
                .post("/api/v1/admin/services").then().statusCode(403);
        given().header("Authorization", "Bearer wrong").get("/api/v1/admin/catalog").then().statusCode(403);
        given().get("/api/v1/admin/audit").then().statusCode(403);
    }
}
