package org.downwatch.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.downwatch.testing.TestData;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/services/{slug}/works}: the rules of a report, counted apart from reports. */
@QuarkusTest
class WorksResourceTest {

    static final String PATH = "/api/v1/services/{slug}/works";

    @Inject
    TestData data;

    static RequestSpecification from(String client, String agent) {
        return given().header("X-Forwarded-For", client).header("User-Agent", agent).contentType("application/json");
    }

    @Test
    void countsOncePerPersonAndNeverAsAReport() {
        String client = Clients.next();
        int works = data.worksTotal("la-poste");
        int reports = data.reportsTotal("la-poste");
        from(client, "test/works").body("{}").when().post(PATH, "la-poste")
                .then().statusCode(201).contentType("application/json")
                .body("service", equalTo("la-poste")).body("counted", equalTo(true)).body("$", not(hasKey("reason")));
        from(client, "test/works").body("").when().post(PATH, "la-poste")
                .then().statusCode(200).body("counted", equalTo(false)).body("reason", equalTo("duplicate"));
        assertEquals(works + 1, data.worksTotal("la-poste"), "one signal counted, the second not");
        assertEquals(reports, data.reportsTotal("la-poste"), "nothing in the per-minute report counts detection reads");
    }

    @Test
    void isDeduplicatedApartFromThePersonsReport() {
        String client = Clients.next();
        int works = data.worksTotal("la-poste");
        int reports = data.reportsTotal("la-poste");
        ReportResourceTest.from(client, "test/both").body(ReportResourceTest.PARCELS).when()
                .post(ReportResourceTest.PATH, "la-poste").then().statusCode(201);
        from(client, "test/both").body("{}").when().post(PATH, "la-poste").then().statusCode(201);
        assertEquals(works + 1, data.worksTotal("la-poste"));
        assertEquals(reports + 1, data.reportsTotal("la-poste"));
    }

    @Test
    void capsOneAddressNetworkLikeReports() {
        String prefix = "2001:db8:" + Integer.toHexString(Clients.next().hashCode() & 0xffff) + ":7:";
        for (int i = 1; i <= 3; i++) {
            from(prefix + ":" + i, "test/net").body("{}").post(PATH, "la-poste").then().statusCode(201);
        }
        from(prefix + ":4", "test/net").body("{}").post(PATH, "la-poste")
                .then().statusCode(200).body("reason", equalTo("network-limit"));
    }

    @Test
    void refusesOtherWebsitesAndBeacons() {
        int works = data.worksTotal("la-poste");
        from(Clients.next(), "test/x").header("Origin", "https://evil.example").body("{}").post(PATH, "la-poste")
                .then().statusCode(403).contentType("application/problem+json");
        from(Clients.next(), "test/x").header("Sec-Fetch-Site", "cross-site").body("{}").post(PATH, "la-poste")
                .then().statusCode(403);
        given().header("X-Forwarded-For", Clients.next()).body("{}".getBytes()).post(PATH, "la-poste")
                .then().statusCode(415).contentType("application/problem+json");
        given().header("X-Forwarded-For", Clients.next()).contentType("text/plain").body("{}").post(PATH, "la-poste")
                .then().statusCode(415);
        assertEquals(works, data.worksTotal("la-poste"));
    }

    @Test
    void answersBadInputWithProblemDetails() {
        from(Clients.next(), "test/bad").body("{\"problem\": \"login\"}").post(PATH, "la-poste")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("problem"));
        from(Clients.next(), "test/bad").body("[]").post(PATH, "la-poste")
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        from(Clients.next(), "test/bad").body("{} {}").post(PATH, "la-poste").then().statusCode(400);
        from(Clients.next(), "test/bad").body("{").post(PATH, "la-poste").then().statusCode(400);
        from(Clients.next(), "test/bad").body("{}").post(PATH, "no-such-service").then().statusCode(404)
                .contentType("application/problem+json");
        from(Clients.next(), "test/bad").body("{\"x\": \"" + "a".repeat(17 * 1024) + "\"}").post(PATH, "la-poste")
                .then().statusCode(413);
    }

    @Test
    void isDocumentedInTheOpenApiDocument() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/services/{slug}/works'.post.responses.keySet()",
                        org.hamcrest.Matchers.hasItems("201", "200", "400", "403", "404", "413", "415", "429", "503"))
                .body("paths.'/api/v1/services/{slug}'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/Service"))
                .body("components.schemas.Service.properties.lastHour.'$ref'", equalTo("#/components/schemas/LastHour"))
                .body("components.schemas.SeriesPoint.properties.works.type", equalTo("integer"));
    }
}
