package org.downwatch.notify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.downwatch.catalog.Catalog;
import org.downwatch.notice.Notices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An official notice goes through the outbox (same transaction as the notice) to the service's subscribers, signed. */
@QuarkusTest
class NoticeWebhookTest {

    @Inject
    NotifyTestData data;
    @Inject
    WebhookWorkers workers;
    @Inject
    Notices notices;
    @Inject
    Catalog catalog;
    @Inject
    ObjectMapper mapper;
    @Inject
    EntityManager em;

    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Transactional
    List<Object[]> outbox(long noticeId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select o.type, o.service_id, o.txid % 4294967296 = n.xmin::text::bigint "
                + "from webhook_outbox o join service_notice n on n.id = o.notice_id where o.notice_id = :n")
                .setParameter("n", noticeId).getResultList();
        return rows;
    }

    @Test
    void deliversANoticeEventToTheServicesSubscribersOnly() throws Exception {
        data.reset();
        String apiKey = data.apiKey();
        try (Receiver receiver = new Receiver(vertx)) {
            Map<String, Object> sub = given().header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url("/notices"), "service", "la-poste")).post("/api/v1/webhooks")
                    .then().statusCode(201).extract().jsonPath().getMap("");
            given().header("X-Api-Key", apiKey).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url("/other"), "service", "orange")).post("/api/v1/webhooks")
                    .then().statusCode(201);
            String ownerKey = notices.createKey(catalog.require("la-poste"), "La Poste comms").plain();
            long id = given().header("Authorization", "Bearer " + ownerKey).contentType(ContentType.JSON)
                    .body("{\"kind\":\"identified\",\"message\":{\"fr\":\"Suivi des colis en panne\",\"en\":\"Parcel tracking down\"}}")
                    .post("/api/v1/services/la-poste/notices").then().statusCode(201).extract().jsonPath().getLong("id");

            List<Object[]> rows = outbox(id);
            assertEquals(1, rows.size(), "one outbox row per notice");
            assertEquals("notice.posted", rows.get(0)[0]);
            assertEquals(true, rows.get(0)[2], "written by the transaction that inserted the notice");

            WebhookWorker.Settings s = workers.settings();
            WebhookWorker worker = workers.create(new WebhookWorker.Settings(true, Duration.ofMillis(50), 5, Duration.ofSeconds(5),
                    Duration.ofDays(1), Duration.ofMillis(50), Duration.ofMillis(200), s.disableAfter(), s.disableMinFailures(),
                    s.keep(), s.siteUrl()));
            try {
                worker.runOnce();
            } finally {
                worker.close();
            }
            List<Receiver.Request> got = receiver.requests("/notices");
            assertEquals(1, got.size());
            assertTrue(receiver.requests("/other").isEmpty(), "another service's subscriber is not told");
            Receiver.Request r = got.get(0);
            new Webhook((String) sub.get("secret")).verify(r.body(), Map.of("webhook-id", List.of(r.header("webhook-id")),
                    "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                    "webhook-signature", List.of(r.header("webhook-signature"))));
            JsonNode event = mapper.readTree(r.body());
            assertEquals("notice.posted", event.get("type").asText());
            assertEquals(id, event.at("/data/noticeId").asLong());
            assertEquals("identified", event.at("/data/kind").asText());
            assertEquals("Suivi des colis en panne", event.at("/data/message/fr").asText());
            assertEquals("la-poste", event.at("/data/service").asText());
            assertTrue(event.at("/data/url").asText().endsWith("/services/la-poste"));

            given().header("X-Api-Key", apiKey).get("/api/v1/webhooks/" + sub.get("id") + "/deliveries").then().statusCode(200)
                    .body("items[0].type", equalTo("notice.posted")).body("items[0].event.data.kind", equalTo("identified"));
        }
    }
}
