package org.downwatch.shared;

import io.quarkus.scheduler.Scheduled;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The rate limiters of the application, by name. Without {@code quarkus.redis.hosts} they are in memory,
 * per instance (the embedded default; no Redis connection is ever attempted). With it, every instance
 * takes its tokens from the same buckets in Redis (a Lua script: atomic, keyed per limiter and client,
 * expiring when idle), so that N instances allow the limit once, not N times.
 * <p>
 * Redis unreachable or silent is a degraded mode, never an error: the local buckets decide alone (each
 * instance allows the limit), the readiness check says {@code degraded} while staying UP, the log says so
 * once, and the limits are shared again as soon as Redis answers a PING.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    /**
     * Takes a token that an instance already let through, and answers {allowed, tokens left}. A token is
     * taken even from an empty bucket (down to -capacity): the requests let through on a stale view are
     * paid back from the refill, so that the cluster's rate stays the limit. Time is Redis', so the
     * instances' clocks do not matter.
     */
    static final String SCRIPT = """
            local cap = tonumber(ARGV[1])
            local period = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            local b = redis.call('HMGET', KEYS[1], 't', 'at')
            local tokens = tonumber(b[1]) or cap
            local at = tonumber(b[2]) or now
            tokens = math.min(cap, tokens + math.max(0, now - at) * cap / period)
            local allowed = 0
            if tokens >= 1 then
              allowed = 1
            end
            tokens = math.max(-cap, tokens - 1)
            redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', now)
            redis.call('PEXPIRE', KEYS[1], period * 2)
            return {allowed, tostring(tokens)}
            """;
    /** A command unanswered this long makes Redis silent: degraded. */
    private static final long SILENT_NANOS = Duration.ofSeconds(5).toNanos();

    private final RedisAPI redis;
    private final String prefix;
    private final String where;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong(System.nanoTime());
    private volatile String sha;
    private final AtomicBoolean loading = new AtomicBoolean();

    @Inject
    RateLimits(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts,
            RateLimitConfig config, Instance<RedisAPI> redis) {
        // the client bean is only looked up when configured: without hosts, no connection is attempted
        this(hosts.filter(h -> !h.isBlank()).map(h -> redis.get()).orElse(null), hosts.map(RateLimits::withoutPassword).orElse(""),
                config.redisPrefix());
    }

    RateLimits(RedisAPI redis, String where, String prefix) {
        this.redis = redis;
        this.where = where;
        this.prefix = prefix;
        if (redis != null) {
            LOG.infof("Rate limits: shared in Redis at %s", where);
        }
    }

    /** Commands sent to Redis and not answered yet. */
    long outstanding() {
        return outstanding.get();
    }

    /** A limiter of buckets per key that refill their capacity each {@code period}; {@code name} keeps limiters apart in Redis. */
    public RateLimiter limiter(String name, Duration period, long maxKeys) {
        if (redis == null) {
            return new RateLimiter(period, maxKeys);
        }
        String keyPrefix = prefix + name + ":";
        String periodMillis = Long.toString(period.toMillis());
        return new RateLimiter(period, maxKeys, new RateLimiter.Shared() {
            @Override
            public boolean usable() {
                return !degraded.get();
            }

            @Override
            public void take(String key, long capacity, RateLimiter.Bucket bucket, long seq) {
                send(keyPrefix + key, Long.toString(capacity), periodMillis, bucket, seq);
            }
        });
    }

    /** "local" (no Redis configured), "shared" or "degraded". */
    public String mode() {
        return redis == null ? "local" : degraded.get() ? "degraded" : "shared";
    }

    private void send(String key, String capacity, String periodMillis, RateLimiter.Bucket bucket, long seq) {
        if (outstanding.getAndIncrement() == 0) {
            lastAnswerNanos.set(System.nanoTime()); // silence counts from the first command after a quiet spell
        }
        String s = sha;
        var call = s != null ? redis.evalsha(List.of(s, "1", key, capacity, periodMillis))
                : redis.eval(List.of(SCRIPT, "1", key, capacity, periodMillis));
        call.onComplete(ar -> {
            outstanding.decrementAndGet();
            if (ar.succeeded()) {
                lastAnswerNanos.set(System.nanoTime());
                Response r = ar.result();
                bucket.shared(seq, Double.parseDouble(r.get(1).toString()));
            } else if (s != null && String.valueOf(ar.cause().getMessage()).startsWith("NOSCRIPT")) {
                sha = null; // Redis restarted or flushed its scripts: send the script itself
                send(key, capacity, periodMillis, bucket, seq);
            } else if (!String.valueOf(ar.cause().getMessage()).contains("wait queue")) {
                degrade(ar.cause()); // (a full pool queue is a burst, not an outage: that token stays local)
            }
        });
        if (s == null && loading.compareAndSet(false, true)) {
            redis.script(List.of("LOAD", SCRIPT)).onComplete(loaded -> {
                if (loaded.succeeded()) {
                    sha = loaded.result().toString();
                }
                loading.set(false);
            });
        }
    }

    private void degrade(Throwable cause) {
        if (degraded.compareAndSet(false, true)) {
            LOG.warnf("Rate limits: Redis at %s does not answer (%s): each instance limits on its own until it is back",
                    where, cause == null ? "no answer in " + Duration.ofNanos(SILENT_NANOS).toSeconds() + " s"
                            : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
        }
    }

    /** Notices a silent Redis, and sees whether a degraded one is back. */
    @Scheduled(every = "${downwatch.rate-limit.redis-check:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (redis == null) {
            return;
        }
        if (!degraded.get()) {
            if (outstanding.get() > 0 && System.nanoTime() - lastAnswerNanos.get() > SILENT_NANOS) {
                degrade(null);
            }
            return;
        }
        redis.ping(List.of()).onSuccess(pong -> {
            lastAnswerNanos.set(System.nanoTime());
            outstanding.set(0);
            if (degraded.compareAndSet(true, false)) {
                LOG.infof("Rate limits: Redis at %s answers again: limits are shared", where);
            }
        });
    }

    private static String withoutPassword(String hosts) {
        return hosts.replaceAll("//[^@/]*@", "//");
    }

    /** Readiness data saying how limits are kept; always UP: reports and pages never depend on Redis. */
    @Readiness
    @ApplicationScoped
    static class Check implements HealthCheck {
        private final RateLimits limits;

        Check(RateLimits limits) {
            this.limits = limits;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("rate-limits").up().withData("mode", limits.mode()).build();
        }
    }
}
