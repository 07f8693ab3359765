package org.downwatch.notify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhooks end to end: incident rows in PostgreSQL, the outbox triggers, real workers, a real local receiver. */
@QuarkusTest
class WebhookDeliveryTest {

    @Inject
    NotifyTestData data;
    @Inject
    WebhookWorkers workers;
    /** The receiver's own Vert.x: what the application does with its own cannot hold the receiver up. */
    static Vertx vertx;
    @Inject
    ObjectMapper mapper;

    Receiver receiver;
    String key;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        data.reset();
        receiver = new Receiver(vertx);
        key = data.apiKey();
    }

    @AfterEach
    void tearDown() throws Exception {
        receiver.close();
    }

    /** Fast retries, a local receiver allowed. */
    WebhookWorker.Settings fast() {
        WebhookWorker.Settings s = workers.settings();
        return new WebhookWorker.Settings(true, Duration.ofMillis(50), 5, Duration.ofSeconds(5), Duration.ofDays(1),
                Duration.ofMillis(50), Duration.ofMillis(200), s.disableAfter(), s.disableMinFailures(), s.keep(), s.siteUrl());
    }

    Map<String, Object> subscribe(String path, String service, String minLevel) {
        Map<String, Object> body = new HashMap<>();
        body.put("url", receiver.url(path));
        body.put("service", service);
        if (minLevel != null) {
            body.put("minLevel", minLevel);
        }
        return given().header("X-Api-Key", key).contentType(ContentType.JSON).body(body).post("/api/v1/webhooks")
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    static long id(Map<String, Object> subscription) {
        return ((Number) subscription.get("id")).longValue();
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Runs the worker by hand until the condition holds. */
    static void runUntil(String what, WebhookWorker worker, BooleanSupplier condition) throws InterruptedException {
        until(what, () -> {
            try {
                worker.runOnce();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return condition.getAsBoolean();
        });
    }

    static Map<String, List<String>> verifierHeaders(Receiver.Request r) {
        return Map.of("webhook-id", List.of(r.header("webhook-id")), "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                "webhook-signature", List.of(r.header("webhook-signature")));
    }

    @Test
    void aJsonArrayForAnObjectIsAProblemNamingTheBody() {
        given().header("X-Api-Key", key).contentType(ContentType.JSON).body("[]").post("/api/v1/webhooks").then()
                .statusCode(400).contentType(org.hamcrest.Matchers.containsString("application/problem+json"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("body"));
    }

    @Test
    void deliversSignedEventsThatAStandardWebhooksVerifierAccepts() throws Exception {
        Map<String, Object> sub = subscribe("/signed", "steam", null);
        String secret = (String) sub.get("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        WebhookWorker worker = workers.create(fast());
        try {
            long incident = data.incident("steam", Instant.now().minusSeconds(600), null);
            data.touch(incident); // an unchanged minute of the incident: no event
            data.peak(incident, 99);
            data.close(incident);
            assertEquals(List.of("incident.opened", "incident.updated:peak", "incident.closed"), data.outboxTypes(incident));
            worker.runOnce();
            List<Receiver.Request> got = receiver.requests("/signed");
            assertEquals(3, got.size(), "one request per event");
            Webhook verifier = new Webhook(secret);
            for (Receiver.Request r : got) {
                verifier.verify(r.body(), verifierHeaders(r));
                assertEquals("application/json", r.header("content-type"));
            }
            JsonNode opened = mapper.readTree(got.stream().filter(r -> r.body().contains("incident.opened")).findFirst().orElseThrow().body());
            assertEquals("incident.opened", opened.get("type").asText());
            assertEquals(incident, opened.at("/data/incidentId").asLong());
            assertEquals("steam", opened.at("/data/service").asText());
            assertEquals("games", opened.at("/data/category").asText());
            assertEquals("problem", opened.at("/data/level").asText());
            assertTrue(opened.at("/data/url").asText().endsWith("/services/steam"));
            // the same verifier refuses a body that was changed, or another secret
            Receiver.Request first = got.get(0);
            assertThrows(WebhookVerificationException.class, () -> verifier.verify(first.body() + " ", verifierHeaders(first)));
            assertThrows(WebhookVerificationException.class,
                    () -> new Webhook(Signatures.newSecret()).verify(first.body(), verifierHeaders(first)));

            given().header("X-Api-Key", key).get("/api/v1/webhooks/" + id(sub) + "/deliveries").then().statusCode(200)
                    .header("Cache-Control", containsString("private"))
                    .body("items", hasSize(3)).body("items[0].status", equalTo("delivered"))
                    .body("items[0].type", equalTo("incident.closed")).body("items[0].lastStatus", equalTo(200))
                    .body("items[0].event.data.service", equalTo("steam")).body("items[2].type", equalTo("incident.opened"));
        } finally {
            worker.close();
        }
    }

    @Test
    void retriesAfterA500WithTheSameMessage() throws Exception {
        long sub = id(subscribe("/flaky", "fortnite", null));
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(() -> calls.incrementAndGet() == 1 ? 500 : 200);
        WebhookWorker worker = workers.create(fast());
        try {
            data.incident("fortnite", Instant.now().minusSeconds(300), Instant.now());
            worker.runOnce();
            List<Object[]> d = data.deliveries(sub);
            assertEquals("pending", d.get(0)[0]);
            assertEquals(1, ((Number) d.get(0)[1]).intValue());
            assertEquals(500, ((Number) d.get(0)[2]).intValue());
            runUntil("the retry is delivered", worker, () -> "delivered".equals(data.deliveries(sub).get(0)[0]));
            assertEquals(2, ((Number) data.deliveries(sub).get(0)[1]).intValue());
            List<Receiver.Request> got = receiver.requests("/flaky");
            assertEquals(2, got.size());
            assertEquals(500, got.get(0).answered());
            assertEquals(got.get(0).header("webhook-id"), got.get(1).header("webhook-id"));
            assertEquals(got.get(0).body(), got.get(1).body());
        } finally {
            worker.close();
        }
    }

    @Test
    void losesNothingWhenTheWorkerStopsInTheMiddleOfRetries() throws Exception {
        long sub = id(subscribe("/restart", "league-of-legends", null));
        receiver.answer(() -> 503);
        WebhookWorker first = workers.create(fast());
        first.start();
        try {
            data.incident("league-of-legends", Instant.now().minusSeconds(300), Instant.now());
            until("a few failed attempts", () -> receiver.requests("/restart").size() >= 2);
        } finally {
            first.close();
        }
        List<Object[]> d = data.deliveries(sub);
        assertEquals(1, d.size());
        assertEquals("pending", d.get(0)[0], "still to be delivered after the worker stopped");
        int before = receiver.requests("/restart").size();

        receiver.answer(() -> 200);
        WebhookWorker second = workers.create(fast());
        second.start();
        try {
            until("delivered by the new worker", () -> "delivered".equals(data.deliveries(sub).get(0)[0]));
        } finally {
            second.close();
        }
        List<Receiver.Request> got = receiver.requests("/restart");
        assertEquals(before + 1, got.size(), "one successful attempt after the failed ones");
        assertEquals(1, got.stream().filter(r -> r.answered() == 200).count());
        assertEquals(1, got.stream().map(r -> r.header("webhook-id")).distinct().count());
    }

    @Test
    void twoWorkersOnOneDatabaseDeliverEachEventOnce() throws Exception {
        long sub = id(subscribe("/shared", "xbox-live", null));
        int events = 40;
        Instant t = Instant.now().minus(Duration.ofDays(2));
        for (int i = 0; i < events; i++) {
            data.incident("xbox-live", t.plusSeconds(i * 600L), t.plusSeconds(i * 600L + 300));
        }
        WebhookWorker a = workers.create(fast());
        WebhookWorker b = workers.create(fast());
        a.start();
        b.start();
        try {
            until("all delivered", () -> data.deliveries(sub).stream().filter(r -> "delivered".equals(r[0])).count() == events);
        } finally {
            a.close();
            b.close();
        }
        List<Receiver.Request> got = receiver.requests("/shared");
        Map<String, Long> perId = got.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertEquals(events, perId.size());
        assertTrue(perId.values().stream().allMatch(n -> n == 1), "no event sent twice: " + perId);
        assertTrue(data.deliveries(sub).stream().allMatch(r -> ((Number) r[1]).intValue() == 1), "one attempt each");
    }

    @Test
    void refusesPrivateTargetsUnlessAllowed() throws Exception {
        long sub = id(subscribe("/private", "playstation-network", null));
        WebhookWorker.Settings f = fast();
        WebhookWorker strict = workers.create(new WebhookWorker.Settings(false, f.pollInterval(), f.batchSize(), f.timeout(),
                f.retryFor(), f.backoffBase(), f.backoffMax(), f.disableAfter(), f.disableMinFailures(), f.keep(), f.siteUrl()));
        try {
            data.incident("playstation-network", Instant.now().minusSeconds(300), Instant.now());
            strict.runOnce();
        } finally {
            strict.close();
        }
        Object[] d = data.deliveries(sub).get(0);
        assertEquals("failed", d[0], "not retried: the target will stay private");
        assertTrue(((String) d[3]).startsWith("target refused: resolves to a non-public address (127.0.0.1)"), (String) d[3]);
        assertEquals(0, receiver.requests("/private").size(), "nothing was sent");
    }

    @Test
    void disablesASubscriptionThatKeepsFailingAndEnablesItAgain() throws Exception {
        long sub = id(subscribe("/broken", "twitch", null));
        receiver.answer(() -> 500);
        WebhookWorker.Settings f = fast();
        WebhookWorker worker = workers.create(new WebhookWorker.Settings(true, f.pollInterval(), f.batchSize(), f.timeout(),
                f.retryFor(), f.backoffBase(), f.backoffMax(), Duration.ZERO, 3, f.keep(), f.siteUrl()));
        try {
            data.incident("twitch", Instant.now().minusSeconds(300), Instant.now());
            runUntil("disabled", worker, () -> !given().header("X-Api-Key", key).get("/api/v1/webhooks/" + sub).then()
                    .extract().jsonPath().getBoolean("enabled"));
            int attempts = receiver.requests("/broken").size();
            assertEquals(3, attempts, "disabled at the third consecutive failure");
            given().header("X-Api-Key", key).get("/api/v1/webhooks/" + sub).then().statusCode(200)
                    .body("consecutiveFailures", equalTo(3)).body("disabledAt", org.hamcrest.Matchers.notNullValue());
            worker.runOnce();
            assertEquals(attempts, receiver.requests("/broken").size(), "a disabled subscription gets nothing");

            receiver.answer(() -> 200);
            given().header("X-Api-Key", key).post("/api/v1/webhooks/" + sub + "/enable").then().statusCode(200)
                    .body("enabled", equalTo(true)).body("consecutiveFailures", equalTo(0));
            runUntil("delivered once enabled", worker, () -> "delivered".equals(data.deliveries(sub).get(0)[0]));
        } finally {
            worker.close();
        }
    }

    @Test
    void resendsADeliveredEvent() throws Exception {
        long sub = id(subscribe("/again", "spotify", null));
        WebhookWorker worker = workers.create(fast());
        try {
            data.incident("spotify", Instant.now().minusSeconds(300), Instant.now());
            worker.runOnce();
            int delivery = given().header("X-Api-Key", key).get("/api/v1/webhooks/" + sub + "/deliveries").then()
                    .statusCode(200).body("items", hasSize(1)).extract().path("items[0].id");
            given().header("X-Api-Key", key).post("/api/v1/webhooks/" + sub + "/deliveries/" + delivery + "/resend").then()
                    .statusCode(202).body("status", equalTo("pending"));
            worker.runOnce();
        } finally {
            worker.close();
        }
        List<Receiver.Request> got = receiver.requests("/again");
        assertEquals(2, got.size());
        assertEquals(got.get(0).header("webhook-id"), got.get(1).header("webhook-id"));
        given().header("X-Api-Key", key).get("/api/v1/webhooks/" + sub + "/deliveries").then()
                .body("items[0].status", equalTo("delivered")).body("items[0].attempts", equalTo(2));
    }

    @Test
    void sendsLevelChangesToSubscribersOfPossibleOnly() throws Exception {
        data.level("netflix", "problem");
        long everything = id(subscribe("/possible", "netflix", "possible"));
        long problemsOnly = id(subscribe("/problem", "netflix", "problem"));
        WebhookWorker worker = workers.create(fast());
        try {
            long incident = data.incident("netflix", Instant.now().minusSeconds(300), null);
            data.level("netflix", "possible");
            data.level("netflix", "possible"); // unchanged: no event
            assertEquals(List.of("incident.opened", "incident.updated:level"), data.outboxTypes(incident));
            worker.runOnce();
        } finally {
            worker.close();
        }
        assertEquals(List.of("incident.opened", "incident.updated"),
                data.deliveries(everything).stream().map(r -> type(r)).toList());
        assertEquals(List.of("incident.opened"), data.deliveries(problemsOnly).stream().map(r -> type(r)).toList());
        JsonNode update = mapper.readTree(receiver.requests("/possible").stream().filter(r -> r.body().contains("updated"))
                .findFirst().orElseThrow().body());
        assertEquals("possible", update.at("/data/level").asText());
        assertEquals("level", update.at("/data/reason").asText());
        data.level("netflix", "none");
    }

    @Test
    void anIncidentOpenedWithItsLevelIsOneEvent() {
        data.level("disney-plus", "none");
        long incident = data.openAsTheDetectorDoes("disney-plus");
        assertEquals(List.of("incident.opened"), data.outboxTypes(incident));
        data.close(incident);
        data.level("disney-plus", "none");
        assertEquals(List.of("incident.opened", "incident.closed"), data.outboxTypes(incident));
    }

    private String type(Object[] delivery) {
        String id = (String) delivery[4];
        return id == null ? null : receiverType(id);
    }

    private String receiverType(String messageId) {
        for (String path : List.of("/possible", "/problem")) {
            for (Receiver.Request r : receiver.requests(path)) {
                if (messageId.equals(r.header("webhook-id"))) {
                    try {
                        return mapper.readTree(r.body()).get("type").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return null;
    }

    @Test
    void managesSubscriptionsPerApiKey() throws Exception {
        given().contentType(ContentType.JSON).body(Map.of("url", receiver.url("/x"))).post("/api/v1/webhooks").then()
                .statusCode(401).contentType(containsString("application/problem+json"));
        Map<String, Object> sub = subscribe("/mine", null, null);
        assertNotNull(sub.get("secret"));
        given().header("X-Api-Key", key).get("/api/v1/webhooks").then().statusCode(200)
                .header("Cache-Control", containsString("no-store")).body("items", hasSize(1))
                .body("items[0].service", equalTo(null)).body("items[0].minLevel", equalTo("problem"))
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));
        String other = data.apiKey();
        given().header("X-Api-Key", other).get("/api/v1/webhooks/" + id(sub)).then().statusCode(404);
        given().header("X-Api-Key", other).get("/api/v1/webhooks").then().statusCode(200).body("items", hasSize(0));
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/x"), "minLevel", "sometimes")).post("/api/v1/webhooks").then()
                .statusCode(400).body("errors[0].field", equalTo("minLevel"));
        given().header("X-Api-Key", key).contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/x"), "service", "la-poste", "category", "bank")).post("/api/v1/webhooks")
                .then().statusCode(400).body("errors[0].field", equalTo("category"));
        given().header("X-Api-Key", key).contentType(ContentType.JSON).body(Map.of("url", "ftp://example.org/"))
                .post("/api/v1/webhooks").then().statusCode(400).body("errors[0].field", equalTo("url"));
        given().header("X-Api-Key", key).delete("/api/v1/webhooks/" + id(sub)).then().statusCode(204);
        given().header("X-Api-Key", key).get("/api/v1/webhooks/" + id(sub)).then().statusCode(404);
    }
}
