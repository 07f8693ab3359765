package org.downwatch.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.downwatch.testing.TestData;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The service page's "It works for me" button: the report form's protections, a 303 back to the page. */
@QuarkusTest
class WorksFormTest {

    static final String PATH = "/services/{slug}/works";

    @Inject
    ReportFormToken tokens;

    @Inject
    TestData data;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    RequestSpecification form(String client, String token) {
        RequestSpecification r = given().redirects().follow(false).header("X-Forwarded-For", client)
                .header("User-Agent", "test/works-form").contentType("application/x-www-form-urlencoded");
        return token == null ? r.formParam("x", "") : r.formParam("_csrf", token);
    }

    @Test
    void countsThenThanksTheSamePersonWithoutCountingAgain() {
        String client = Clients.next();
        int works = data.worksTotal("la-poste");
        int reports = data.reportsTotal("la-poste");
        form(client, tokens.issueForWindow(java.time.Instant.now())).header("Origin", "http://localhost:" + port)
                .header("Sec-Fetch-Site", "same-origin").post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?works=counted#works"));
        form(client, tokens.issue()).post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?works=duplicate#works"));
        assertEquals(works + 1, data.worksTotal("la-poste"));
        assertEquals(reports, data.reportsTotal("la-poste"));
    }

    @Test
    void answersAMalformedFormWithTheFriendlyPage() {
        int works = data.worksTotal("la-poste");
        for (String body : java.util.List.of("_csrf=%E0%A4%A", "a=%zz&_csrf=" + tokens.issue(), "_csrf=" + tokens.issue() + "&a=%zz")) {
            ReportFormTest.rawForm(body).header("Accept-Language", "en").post(PATH, "la-poste")
                    .then().statusCode(400).contentType(containsString("text/html")).body(containsString("Invalid request"));
        }
        assertEquals(works, data.worksTotal("la-poste"));
    }

    @Test
    void refusesAForgedPostWithAFriendlyPage() {
        int works = data.worksTotal("la-poste");
        form(Clients.next(), tokens.issue()).header("Origin", "https://evil.example").header("Accept", "text/html")
                .post(PATH, "la-poste").then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("another website"));
        form(Clients.next(), tokens.issue()).header("Sec-Fetch-Site", "cross-site").post(PATH, "la-poste")
                .then().statusCode(403);
        form(Clients.next(), null).header("Accept", "text/html").post(PATH, "la-poste").then().statusCode(403)
                .body(containsString("reload"));
        form(Clients.next(), "forged.token").post(PATH, "la-poste").then().statusCode(403);
        assertEquals(works, data.worksTotal("la-poste"));
    }
}
