package org.downwatch.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.endsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReportFormTest {

    static final String PATH = "/services/{slug}/reports";

    @Inject
    ReportFormToken tokens;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    /** The form as the page sends it, with {@code fields} ("name", "value", ...) replacing the defaults. */
    RequestSpecification form(String client, String token, String... fields) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("problem", "parcel-tracking", "country", "", "city", "Lyon",
                "postcode", ""));
        for (int i = 0; i < fields.length; i += 2) {
            values.put(fields[i], fields[i + 1]);
        }
        if (token != null) {
            values.put("_csrf", token);
        }
        RequestSpecification r = given().redirects().follow(false)
                .header("X-Forwarded-For", client).header("User-Agent", "test/form")
                .contentType("application/x-www-form-urlencoded");
        values.forEach(r::formParam);
        return r;
    }

    @Test
    void countsAReportThenThanksTheSamePersonWithoutCountingAgain() {
        String client = Clients.next();
        form(client, tokens.issue()).header("Origin", "http://localhost:" + port).header("Sec-Fetch-Site", "same-origin")
                .when().post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=counted"));
        form(client, tokens.issue()).when().post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=duplicate"));
    }

    @Test
    void aLanguageChosenByUrlIsKeptInTheAnswer() {
        // the page asked for with ?lang=fr posts to .../reports?lang=fr (its links keep the language)
        form(Clients.next(), tokens.issue()).queryParam("lang", "fr").when().post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=counted&lang=fr"));
        form(Clients.next(), tokens.issue(), "country", "Narnia").queryParam("lang", "en").post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("?report_error=country&lang=en#report"));
        form(Clients.next(), tokens.issue()).queryParam("lang", "<b>").when().post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=counted"));
    }

    @Test
    void saysWhenTheAddressNetworkHasReportedEnough() {
        // four people of one IPv6 /64: one address network, which adds at most 3 counted reports per window
        String prefix = "2001:db8:" + Integer.toHexString(Clients.next().hashCode() & 0xffff) + ":9:";
        for (int i = 1; i <= 3; i++) {
            form(prefix + ":" + i, tokens.issue()).when().post(PATH, "la-poste")
                    .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=counted"));
        }
        form(prefix + ":4", tokens.issue()).when().post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=network-limit"));
    }

    @Test
    void sendsInvalidInputBackToTheFormWithTheField() {
        form(Clients.next(), tokens.issue(), "problem", "no-such-problem").post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?report_error=problem#report"));
        given().redirects().follow(false).header("X-Forwarded-For", Clients.next()).contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", tokens.issue()).post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("?report_error=problem#report"));
        form(Clients.next(), tokens.issue(), "country", "Narnia").post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("?report_error=country#report"));
        form(Clients.next(), tokens.issue(), "city", "x".repeat(101)).post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("?report_error=city#report"));
        form(Clients.next(), tokens.issue(), "postcode", "1".repeat(17)).post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("?report_error=postcode#report"));
    }

    @Test
    void refusesAMissingForgedOrExpiredToken() {
        form(Clients.next(), null).post(PATH, "la-poste")
                .then().statusCode(403).contentType(containsString("text/html")).body(containsString("reload"));
        String good = tokens.issue();
        String forged = good.substring(0, good.indexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
        form(Clients.next(), forged).post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), "not-a-token").post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue(Instant.now().minus(Duration.ofHours(5)))).post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue(Instant.now().minus(Duration.ofHours(3)))).post(PATH, "la-poste").then().statusCode(303);
    }

    @Test
    void refusesCrossSitePostsEvenWithAValidToken() {
        form(Clients.next(), tokens.issue()).header("Origin", "https://evil.example").post(PATH, "la-poste")
                .then().statusCode(403).contentType(containsString("text/html")).body(containsString("another website"));
        form(Clients.next(), tokens.issue()).header("Origin", "null").post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue()).header("Origin", "http://localhost:1").post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue()).header("Sec-Fetch-Site", "cross-site").post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue()).header("Sec-Fetch-Site", "same-site").post(PATH, "la-poste").then().statusCode(403);
        form(Clients.next(), tokens.issue()).header("Sec-Fetch-Site", "same-origin").post(PATH, "la-poste").then().statusCode(303);
    }

    @Test
    void answersAnUnknownServiceWithAPage() {
        form(Clients.next(), tokens.issue()).post(PATH, "no-such-service").then().statusCode(404).contentType(containsString("text/html"));
    }

    @Test
    void refusesAnOversizedForm() {
        form(Clients.next(), tokens.issue(), "city", "x".repeat(17 * 1024)).post(PATH, "la-poste")
                .then().statusCode(413).contentType(containsString("text/html"));
    }

    /** A client that gives up after 10 s: a request the server never answers fails the test instead of hanging it. */
    static RequestSpecification rawForm(String body) {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 10_000).setParam("http.connection.timeout", 10_000)))
                .redirects().follow(false).header("X-Forwarded-For", Clients.next())
                .contentType("application/x-www-form-urlencoded").body(body);
    }

    @Test
    void answersMalformedFormsWithTheFriendlyPageInBothLanguages() {
        String token = "_csrf=" + tokens.issue();
        for (String body : List.of("problem=%E0%A4%A", "a=%zz&problem=parcel-tracking&" + token,
                token + "&problem=parcel-tracking&a=%zz", "problem=%", token + "&problem=%C3%28", "problem=%E0%A4%A&x=1",
                IntStream.range(0, 1100).mapToObj(i -> "f" + i + "=1").collect(Collectors.joining("&")))) {
            rawForm(body).header("Accept-Language", "en").post(PATH, "la-poste")
                    .then().statusCode(400).contentType(containsString("text/html")).body(containsString("Invalid request"));
            rawForm(body).header("Accept-Language", "fr").post(PATH, "la-poste")
                    .then().statusCode(400).contentType(containsString("text/html")).body(containsString("Requête invalide"));
        }
    }

    @Test
    void decodesWellFormedEscapesAndPluses() throws SQLException {
        String client = Clients.next();
        given().redirects().follow(false).header("X-Forwarded-For", client).contentType("application/x-www-form-urlencoded")
                .body("_csrf=" + tokens.issue() + "&problem=parcel-tracking&city=Saint+%C3%89tienne&ignored=%41&country=")
                .post(PATH, "la-poste")
                .then().statusCode(303).header("Location", endsWith("/services/la-poste?reported=counted"));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select city from report where city like 'Saint %' order by id desc limit 1")) {
            rs.next();
            assertEquals("Saint Étienne", rs.getString(1));
        }
    }

    @Test
    void refusesAChunkedOversizedFormWithAPage() throws Exception {
        byte[] body = ("_csrf=" + tokens.issue() + "&problem=" + "a".repeat(17 * 1024)).getBytes(StandardCharsets.US_ASCII);
        // an input stream publisher has no length: the body goes chunked, without Content-Length
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/services/la-poste/reports"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", Clients.next())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), r.headers().toString());
    }
}
