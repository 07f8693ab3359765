package org.downwatch.report;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The ingest queue is bounded: while the database is slow (here: a table the writer needs is locked),
 * reports beyond the queue are answered 503 with Retry-After at once, and the queued ones are counted
 * when the database is back.
 */
@QuarkusTest
@TestProfile(QueueFullTest.TinyQueue.class)
class QueueFullTest {

    public static class TinyQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("downwatch.report.queue-size", "2", "downwatch.report.batch-size", "1",
                    "downwatch.report.flushers", "1", "downwatch.report.timeout", "PT60S");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReportQueue queue;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    CompletableFuture<HttpResponse<String>> post() {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/services/la-poste/reports"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", Clients.next())
                .POST(HttpRequest.BodyPublishers.ofString(ReportResourceTest.PARCELS)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers503WhenTheQueueIsFull() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
        try (Connection lock = dataSource.getConnection(); Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("lock table report_network in exclusive mode");
            accepted.add(post());
            await("the writer waits for the lock").atMost(Duration.ofSeconds(10)).until(() -> waitingForLock(st));
            accepted.add(post());
            accepted.add(post());
            await("two reports queued").atMost(Duration.ofSeconds(10)).until(() -> queue.waiting() == 2);
            HttpResponse<String> refused = post().get();
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            lock.commit();
        }
        for (CompletableFuture<HttpResponse<String>> f : accepted) {
            assertEquals(201, f.get().statusCode(), f.get().body());
        }
    }

    static boolean waitingForLock(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("select count(*) from pg_locks where not granted and relation = 'report_network'::regclass")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
