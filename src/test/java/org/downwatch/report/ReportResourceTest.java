package org.downwatch.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReportResourceTest {

    /** On the management interface (its own port, a random one in tests), not the public one. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    static final String PATH = "/api/v1/services/{slug}/reports";
    static final String PARCELS = "{\"problem\": \"parcel-tracking\"}";

    @Inject
    ReportClock clock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReportNetworkCleanup cleanup;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static RequestSpecification from(String address, String userAgent) {
        return given().header("X-Forwarded-For", address).header("User-Agent", userAgent).contentType("application/json");
    }

    static Response report(String address, String userAgent, String body) {
        return from(address, userAgent).body(body).when().post(PATH, "la-poste");
    }

    @Test
    void countsAReportWith201LocationAndBody() {
        Instant before = Instant.now().minusSeconds(1);
        Response r = from(Clients.next(), "test/created")
                .body("{\"problem\": \"parcel-tracking\", \"country\": \"FR\", \"city\": \"Lyon\", \"postcode\": \"69001\"}")
                .when().post(PATH, "la-poste");
        r.then().statusCode(201)
                .contentType("application/json")
                .header("Location", matchesPattern("/api/v1/services/la-poste/reports/\\d+$"))
                .body("id", notNullValue())
                .body("service", equalTo("la-poste"))
                .body("problem", equalTo("parcel-tracking"))
                .body("counted", equalTo(true));
        long id = r.jsonPath().getLong("id");
        Instant receivedAt = Instant.parse(r.jsonPath().getString("receivedAt"));
        assertTrue(!receivedAt.isBefore(before) && !receivedAt.isAfter(Instant.now()), "server time: " + receivedAt);
        assertTrue(r.header("Location").endsWith("/" + id));
        List<Object> row = row("select country, city, postcode, source, length(reporter_hash), received_at = ?::timestamptz "
                + "from report where id = " + id, receivedAt.toString());
        assertEquals(List.of("FR", "Lyon", "69001", "api", 16, true), row);
    }

    /**
     * The usual request is answered by {@link ReportRoute} (a plain Vert.x route), a finer Accept by the
     * resource: both give the same answers, and both are measured under the endpoint's template.
     */
    @Test
    void theFastRouteAndTheResourceAnswerAlike() {
        for (String accept : List.of("*/*", "application/json, text/plain;q=0.5")) {
            Response r = from(Clients.next(), "test/alike").header("Accept", accept)
                    .body("{\"problem\": \"login\", \"country\": \"fr\"}").when().post(PATH, "la-poste");
            r.then().statusCode(201).contentType("application/json")
                    .header("Location", equalTo("/api/v1/services/la-poste/reports/" + r.jsonPath().getLong("id")))
                    .body("service", equalTo("la-poste")).body("problem", equalTo("login")).body("counted", equalTo(true));
            assertEquals(List.of("id", "service", "problem", "receivedAt", "counted"), List.copyOf(r.jsonPath().getMap("$").keySet()), accept);
            from(Clients.next(), "test/alike").header("Accept", accept).body("{\"problem\": \"teleport\"}")
                    .when().post(PATH, "la-poste").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("problem"))
                    .body("instance", equalTo("/api/v1/services/la-poste/reports"));
            from(Clients.next(), "test/alike").header("Accept", accept).body(PARCELS)
                    .when().post(PATH, "no-such-service").then().statusCode(404).contentType("application/problem+json")
                    .body("title", equalTo("Not found"));
        }
        given().when().get(metrics).then().statusCode(200)
                .body(matchesPattern("(?s).*http_server_requests_seconds_count\\{[^}]*status=\"201\"[^}]*uri=\"/api/v1/services/\\{slug\\}/reports\"[^}]*\\}.*"));
    }

    @Test
    void theLocationOfACountedReportServesIt() {
        Response r = from(Clients.next(), "test/location").body("{\"problem\": \"stamp-printing\", \"country\": \"fr\"}")
                .when().post(PATH, "la-poste");
        r.then().statusCode(201);
        long id = r.jsonPath().getLong("id");
        given().when().get(r.header("Location")).then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("service", equalTo("la-poste"))
                .body("problem", equalTo("stamp-printing"))
                .body("country", equalTo("FR"))
                .body("$", not(hasKey("receivedAt")))
                .body("$", not(hasKey("city")))
                .body("$", not(hasKey("reporterHash")));
        given().when().get(PATH + "/{id}", "netflix", id).then().statusCode(404).contentType("application/problem+json");
        given().when().get(PATH + "/{id}", "la-poste", Long.MAX_VALUE).then().statusCode(404);
    }

    @Test
    void answers200WithoutIdForTheSamePersonWithinTheWindow() {
        String client = Clients.next();
        report(client, "test/dup", PARCELS).then().statusCode(201);
        report(client, "test/dup", "{\"problem\": \"registered-letter\"}").then().statusCode(200)
                .header("Location", nullValue())
                .body("id", nullValue())
                .body("service", equalTo("la-poste"))
                .body("problem", equalTo("registered-letter"))
                .body("receivedAt", notNullValue())
                .body("counted", equalTo(false))
                .body("reason", equalTo("duplicate"));
        // another service is another report
        from(client, "test/dup").body("{\"problem\": \"parcel-tracking\"}").post(PATH, "colissimo").then().statusCode(201);
    }

    @Test
    void countsTheSamePersonAgainOnceTheWindowHasPassed() {
        clock.fix(Instant.now());
        String client = Clients.next();
        report(client, "test/window", PARCELS).then().statusCode(201);
        clock.shift(Duration.ofMinutes(30).minusSeconds(1));
        report(client, "test/window", PARCELS).then().statusCode(200).body("counted", equalTo(false)).body("reason", equalTo("duplicate"));
        clock.shift(Duration.ofSeconds(1)); // exactly 30 minutes after the counted report
        report(client, "test/window", PARCELS).then().statusCode(201).body("counted", equalTo(true));
        report(client, "test/window", PARCELS).then().statusCode(200);
    }

    @Test
    void theDailyKeyRotationOpensNoGap() {
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        Instant evening = tomorrow.atTime(23, 50).toInstant(ZoneOffset.UTC);
        String client = Clients.next();
        clock.fix(evening);
        long first = report(client, "test/midnight", PARCELS).then().statusCode(201).extract().jsonPath().getLong("id");
        clock.fix(evening.plus(Duration.ofMinutes(20))); // 00:10 the next day: a new daily key
        report(client, "test/midnight", PARCELS).then().statusCode(200).body("counted", equalTo(false));
        clock.fix(evening.plus(Duration.ofMinutes(30)));
        long second = report(client, "test/midnight", PARCELS).then().statusCode(201).extract().jsonPath().getLong("id");
        assertNotEquals(value("select encode(reporter_hash, 'hex') from report where id = " + first),
                value("select encode(reporter_hash, 'hex') from report where id = " + second),
                "the key rotated at midnight: the same person has another hash");
        clock.fix(evening.plus(Duration.ofMinutes(45)));
        report(client, "test/midnight", PARCELS).then().statusCode(200);
    }

    @Test
    void anAddressAddsAtMostThreeReportsPerServicePerWindow() {
        clock.fix(Instant.now());
        String client = Clients.next();
        for (int i = 1; i <= 3; i++) {
            report(client, "test/browser-" + i, PARCELS).then().statusCode(201);
        }
        report(client, "test/browser-4", PARCELS).then().statusCode(200).header("Location", nullValue())
                .body("id", nullValue()).body("counted", equalTo(false)).body("reason", equalTo("network-limit"));
        clock.shift(Duration.ofMinutes(20));
        report(client, "test/browser-5", PARCELS).then().statusCode(200).body("reason", equalTo("network-limit"));
        clock.shift(Duration.ofMinutes(10)); // the first three are out of the window
        // browser-5 was refused, not counted: it is not "already counted" 10 minutes later
        report(client, "test/browser-5", PARCELS).then().statusCode(201);
        report(client, "test/browser-4", PARCELS).then().statusCode(201);
        report(client, "test/browser-6", PARCELS).then().statusCode(201);
        report(client, "test/browser-7", PARCELS).then().statusCode(200).body("reason", equalTo("network-limit"));
        // the same person again, the network being full too: the person's own report is the reason
        report(client, "test/browser-6", PARCELS).then().statusCode(200).body("reason", equalTo("duplicate"));
    }

    @Test
    void anIpv6Slash64IsOneNetwork() {
        String prefix = "2001:db8:" + Integer.toHexString(Clients.next().hashCode() & 0xffff) + ":7:";
        for (int i = 1; i <= 3; i++) {
            report(prefix + ":" + i, "test/v6", PARCELS).then().statusCode(201);
        }
        report(prefix + ":4", "test/v6", PARCELS).then().statusCode(200);
        report(prefix.replace(":7:", ":8:") + ":4", "test/v6", PARCELS).then().statusCode(201);
    }

    @Test
    void anIpv4Slash24AddsAtMostTenCountedReports() {
        // 12 addresses of one /24, 3 browsers each: 36 "people", 10 counted (the wide network's cap)
        String client = Clients.next();
        String prefix = client.substring(0, client.lastIndexOf('.') + 1);
        int counted = 0;
        int refused = 0;
        for (int i = 1; i <= 12; i++) {
            for (String ua : List.of("a", "b", "c")) {
                Response r = report(prefix + i, "test/wide-" + ua, PARCELS);
                if (r.statusCode() == 201) {
                    counted++;
                } else {
                    r.then().statusCode(200).body("counted", equalTo(false)).body("reason", equalTo("network-limit"));
                    refused++;
                }
            }
        }
        assertEquals(10, counted);
        assertEquals(26, refused);
        // the next /24 is another network
        report(Clients.next(), "test/wide-a", PARCELS).then().statusCode(201);
    }

    @Test
    void anIpv6Slash48AddsAtMostTenCountedReports() {
        String prefix = "2001:db8:" + Integer.toHexString((Clients.next().hashCode() >>> 8) & 0xffff) + ":";
        for (int i = 1; i <= 10; i++) {
            report(prefix + Integer.toHexString(0x100 + i) + "::1", "test/wide6", PARCELS).then().statusCode(201);
        }
        for (int i = 11; i <= 25; i++) {
            report(prefix + Integer.toHexString(0x100 + i) + "::1", "test/wide6", PARCELS).then().statusCode(200)
                    .body("reason", equalTo("network-limit"));
        }
    }

    @Test
    void honoursXForwardedForFromLoopbackAndTakesTheRightMostUntrustedEntry() {
        // loopback is a trusted proxy: two forwarded addresses are two people
        report(Clients.next(), "test/xff", PARCELS).then().statusCode(201);
        report(Clients.next(), "test/xff", PARCELS).then().statusCode(201);
        // "forged, client" (what an appending proxy passes on): the client is the right-most untrusted entry,
        // whatever the left part says
        String client = Clients.next();
        report(Clients.next() + ", " + client, "test/xff-chain", PARCELS).then().statusCode(201);
        report(Clients.next() + ", " + client, "test/xff-chain", PARCELS).then().statusCode(200).body("reason", equalTo("duplicate"));
        // trusted hops on the right are skipped
        String other = Clients.next();
        report(other + ", 127.0.0.5", "test/xff-chain2", PARCELS).then().statusCode(201);
        report(other, "test/xff-chain2", PARCELS).then().statusCode(200);
        // junk is not a new person: it is the proxy (loopback) itself
        report("not-an-ip-1", "test/xff-junk", PARCELS).then().statusCode(201);
        report("not-an-ip-2", "test/xff-junk", PARCELS).then().statusCode(200).body("reason", equalTo("duplicate"));
    }

    @Test
    void rejectsAnUnknownService() {
        report(Clients.next(), "test/404", PARCELS).then().statusCode(201);
        from(Clients.next(), "test/404").body(PARCELS).post(PATH, "no-such-service").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", notNullValue()).body("detail", containsString("no-such-service"));
    }

    @Test
    void rejectsAnUnknownOrMissingProblemType() {
        invalid("{\"problem\": \"no-such-problem\"}", "problem");
        invalid("{\"problem\": \"mobile-data\"}", "problem"); // exists, but not for La Poste
        invalid("{\"country\": \"FR\"}", "problem");
        invalid("{\"problem\": \"\"}", "problem");
    }

    @Test
    void rejectsACountryThatIsNotIsoAlpha2() {
        invalid("{\"problem\": \"parcel-tracking\", \"country\": \"XX\"}", "country");
        invalid("{\"problem\": \"parcel-tracking\", \"country\": \"FRA\"}", "country");
        invalid("{\"problem\": \"parcel-tracking\", \"country\": 33}", "country");
        long id = report(Clients.next(), "test/country", "{\"problem\": \"parcel-tracking\", \"country\": \"be\"}")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals("BE", value("select country from report where id = " + id));
    }

    @Test
    void rejectsOverLongFields() {
        invalid("{\"problem\": \"parcel-tracking\", \"city\": \"" + "a".repeat(101) + "\"}", "city");
        invalid("{\"problem\": \"parcel-tracking\", \"postcode\": \"" + "1".repeat(17) + "\"}", "postcode");
        invalid("{\"problem\": \"parcel-tracking\", \"city\": \"Ly\\u0000on\"}", "city");
        report(Clients.next(), "test/long", "{\"problem\": \"parcel-tracking\", \"city\": \"" + "é".repeat(100)
                + "\", \"postcode\": \"" + "1".repeat(16) + "\"}").then().statusCode(201);
    }

    @Test
    void rejectsMalformedJsonAndOtherBodies() {
        invalid("{\"problem\": ", "body");
        invalid("[\"parcel-tracking\"]", "body");
        invalid("\"parcel-tracking\"", "body");
        invalid("{\"problem\": \"parcel-tracking\", \"receivedAt\": \"2020-01-01T00:00:00Z\"}", "receivedAt");
        invalid("", "body");
        invalid("null", "body");
    }

    @Test
    void refusesTrailingDataRepeatedMembersAndNonStrings() {
        invalid("{\"problem\": \"parcel-tracking\"} {\"problem\": \"login\"}", "body");
        invalid("{\"problem\": \"parcel-tracking\"} x", "body");
        invalid("{\"problem\": \"parcel-tracking\", \"problem\": \"login\"}", "problem");
        invalid("{\"problem\": \"parcel-tracking\", \"city\": \"Lyon\", \"city\": \"Paris\"}", "city");
        invalid("{\"problem\": true}", "problem");
        invalid("{\"problem\": \"parcel-tracking\", \"city\": 1.5}", "city");
        invalid("{\"problem\": \"parcel-tracking\", \"postcode\": [\"69001\"]}", "postcode");
        invalid("{\"problem\": \"parcel-tracking\", \"city\": {\"name\": \"Lyon\"}}", "city");
        report(Clients.next(), "test/strict", "{\"problem\": \"parcel-tracking\", \"city\": null}\n").then().statusCode(201);
    }

    @Test
    void rejectsOtherContentTypesWith415() {
        given().header("X-Forwarded-For", Clients.next()).contentType("text/plain").body(PARCELS)
                .when().post(PATH, "la-poste").then().statusCode(415).contentType("application/problem+json");
        given().header("X-Forwarded-For", Clients.next()).contentType("application/x-www-form-urlencoded")
                .formParam("problem", "parcel-tracking").when().post(PATH, "la-poste")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
    }

    @Test
    void rejectsBodiesOver16KiBWith413() throws Exception {
        String big = "{\"problem\": \"parcel-tracking\", \"city\": \"" + "x".repeat(17 * 1024) + "\"}";
        report(Clients.next(), "test/413", big).then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        // a chunked body has no Content-Length: its actual size is checked
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/services/la-poste/reports"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", Clients.next())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        // 16 KiB exactly is fine
        String limit = "{\"problem\":\"parcel-tracking\",\"city\":\"Lyon\"}";
        report(Clients.next(), "test/413", limit + " ".repeat(16 * 1024 - limit.length())).then().statusCode(201);
    }

    @Test
    void rateLimitsOneClientWith429AndRetryAfter() {
        String client = Clients.next();
        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 40; i++) {
            last = report(client, "test/rate-" + i, PARCELS);
            statuses.add(last.statusCode());
            if (last.statusCode() == 429) {
                break;
            }
        }
        assertEquals(429, last.statusCode(), "statuses: " + statuses);
        assertTrue(statuses.size() > 30, "the first 30 pass: " + statuses);
        last.then().contentType("application/problem+json").header("Retry-After", matchesPattern("[1-9]\\d*"))
                .body("status", equalTo(429));
        report(Clients.next(), "test/rate", PARCELS).then().statusCode(201); // others are not affected
    }

    @Test
    void perMinuteCountsEqualTheStoredReports() {
        // a service no other test writes to: other tests insert per-minute rows of their own directly
        for (int i = 0; i < 5; i++) {
            from(Clients.next(), "test/minutes").body(i % 2 == 0 ? "{\"problem\": \"calls\"}" : "{\"problem\": \"sending-messages\"}")
                    .when().post(PATH, "signal").then().statusCode(201);
        }
        String signal = "(select id from service where slug = 'signal')";
        Object mismatches = value("""
                select count(*) from (
                    select service_id, problem_type_id, date_trunc('minute', received_at, 'UTC') as minute, count(*) as n
                    from report where service_id = %s group by 1, 2, 3) r
                full join (select * from report_minute where service_id = %s) m using (service_id, problem_type_id, minute)
                where r.n is distinct from m.count""".formatted(signal, signal));
        assertEquals(0L, mismatches);
        assertEquals(value("select count(*) from report where service_id = " + signal),
                value("select sum(count) from report_minute where service_id = " + signal));
        assertTrue(((Number) value("select count(*) from report where service_id = " + signal)).intValue() >= 5);
    }

    @Test
    void cleanUpForgetsStateOlderThanTheWindow() {
        clock.fix(Instant.now().minus(Duration.ofDays(1)));
        String client = Clients.next();
        long old = report(client, "test/cleanup", PARCELS).then().statusCode(201).extract().jsonPath().getLong("id");
        clock.reset();
        long recent = report(Clients.next(), "test/cleanup", PARCELS).then().statusCode(201).extract().jsonPath().getLong("id");
        Instant before = Instant.now().minus(Duration.ofMinutes(30));
        assertTrue(cleanup.cleanUp(before) >= 1);
        assertEquals(0L, ((Number) value("select count(*) from report_network where counted_at_ms[array_upper(counted_at_ms, 1)] < "
                + before.toEpochMilli())).longValue());
        // the person-linking hash is gone from the old report, kept while the window lasts for the new one
        assertEquals(true, value("select reporter_hash is null from report where id = " + old));
        assertEquals(false, value("select reporter_hash is null from report where id = " + recent));
        report(client, "test/cleanup", PARCELS).then().statusCode(201);
    }

    @Test
    void documentsEveryAnswerInOpenApi() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/services/{slug}/reports'.post.summary", notNullValue())
                .body("paths.'/api/v1/services/{slug}/reports'.post.responses.keySet()",
                        org.hamcrest.Matchers.hasItems("200", "201", "400", "403", "404", "413", "415", "429", "503"))
                .body("components.schemas.ReportAnswer.properties.reason.enum", org.hamcrest.Matchers.contains("duplicate", "network-limit"));
    }

    void invalid(String body, String field) {
        report(Clients.next(), "test/invalid", body).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo(field))
                .body("detail", containsString(field));
    }

    Object value(String sql) {
        return row(sql).get(0);
    }

    List<Object> row(String sql, String... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setString(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "a row for " + sql);
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getObject(i));
                }
                return values;
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
