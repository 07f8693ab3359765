package org.downwatch.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared buckets against a real Redis: the machine's on 6379 (keys under a prefix of this run), and,
 * for the faults, a redis-server of the test's own on 6390 that is stopped and started again.
 */
class RateLimitsTest {

    private static final String PREFIX = "downwatch-test:" + UUID.randomUUID() + ":";
    private static final int FAULT_PORT = 6390;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static RateLimits limits(int port) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
                .setMaxPoolSize(4).setMaxPoolWaiting(1000));
        return new RateLimits(RedisAPI.api(client), "127.0.0.1:" + port, PREFIX);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "still not " + what);
            Thread.sleep(20);
        }
    }

    /** Takes {@code n} tokens one after another, each once Redis answered the previous one. */
    private static int allowed(RateLimits limits, RateLimiter limiter, String key, int n, int capacity) throws InterruptedException {
        int allowed = 0;
        for (int i = 0; i < n; i++) {
            if (limiter.tryAcquire(key, capacity).allowed()) {
                allowed++;
            }
            await("answered", () -> limits.outstanding() == 0);
        }
        return allowed;
    }

    @Test
    void twoInstancesShareOneBucketPerLimiterAndClient() throws InterruptedException {
        assumeTrue(listening(6379), "no Redis on 6379");
        // two instances: two RateLimits, each with its own in-memory view of the same Redis bucket
        RateLimits a = limits(6379);
        RateLimits b = limits(6379);
        RateLimiter onA = a.limiter("report", Duration.ofHours(1), 1000);
        RateLimiter onB = b.limiter("report", Duration.ofHours(1), 1000);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += allowed(a, onA, "198.51.100.1", 1, 6) + allowed(b, onB, "198.51.100.1", 1, 6);
        }
        // 6 per hour across both instances, not 6 each; one more at most, let through on B's stale view
        // (decisions do not wait for Redis), which the bucket then owes
        assertTrue(allowed == 6 || allowed == 7, "allowed " + allowed);
        assertEquals(0, allowed(a, onA, "198.51.100.1", 3, 6) + allowed(b, onB, "198.51.100.1", 3, 6));
        assertEquals("shared", a.mode());
        // another client, and the same client under another limiter, have their own buckets
        assertEquals(6, allowed(a, onA, "198.51.100.2", 8, 6));
        assertEquals(6, allowed(b, b.limiter("api", Duration.ofHours(1), 1000), "198.51.100.1", 8, 6));
    }

    @Test
    void redisStoppedDegradesToLocalLimitsAndSharedOnesComeBack() throws Exception {
        File server = new File("/usr/bin/redis-server");
        assumeTrue(server.canExecute(), "no redis-server to start");
        assumeTrue(!listening(FAULT_PORT), "port " + FAULT_PORT + " is taken");
        Process redis = startRedis(server);
        try {
            RateLimits a = limits(FAULT_PORT);
            RateLimits b = limits(FAULT_PORT);
            RateLimiter onA = a.limiter("report", Duration.ofHours(1), 1000);
            RateLimiter onB = b.limiter("report", Duration.ofHours(1), 1000);
            assertEquals(2, allowed(a, onA, "198.51.100.3", 1, 4) + allowed(b, onB, "198.51.100.3", 1, 4));

            redis.destroyForcibly().waitFor();
            // the first token taken during the outage fails in Redis: degraded, never an error
            assertTrue(onA.tryAcquire("198.51.100.4", 4).allowed());
            await("degraded", () -> "degraded".equals(a.mode()));
            // each instance limits on its own: 4 each for a new client
            assertEquals(3, allowed(a, onA, "198.51.100.4", 6, 4));
            assertEquals("shared", b.mode(), "b has not talked to Redis yet");
            b.check(); // silent only after commands go unanswered: b learns of the outage from its next token
            assertTrue(onB.tryAcquire("198.51.100.4", 4).allowed());
            await("degraded", () -> "degraded".equals(b.mode()));
            assertEquals(3, allowed(b, onB, "198.51.100.4", 6, 4));

            a.check(); // Redis still down: stays degraded
            Thread.sleep(200);
            assertEquals("degraded", a.mode());

            redis = startRedis(server);
            for (RateLimits l : List.of(a, b)) {
                await("shared again", () -> {
                    l.check();
                    return "shared".equals(l.mode());
                });
            }
            // shared again, on a Redis that lost its buckets and scripts (no persistence): 5 across both
            int allowed = 0;
            for (int i = 0; i < 6; i++) {
                allowed += allowed(a, onA, "198.51.100.5", 1, 5) + allowed(b, onB, "198.51.100.5", 1, 5);
            }
            assertTrue(allowed == 5 || allowed == 6, "allowed " + allowed);
        } finally {
            redis.destroyForcibly().waitFor();
        }
    }

    private static Process startRedis(File server) throws Exception {
        Process p = new ProcessBuilder(server.getPath(), "--port", Integer.toString(FAULT_PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await("listening on " + FAULT_PORT, () -> listening(FAULT_PORT));
        return p;
    }
}
