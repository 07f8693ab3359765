package org.downwatch.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Token buckets per key (a client, an API key...), held in memory per instance and forgotten when
 * idle. Each bucket holds up to {@code capacity} tokens and refills at capacity per {@code period}.
 */
public final class RateLimiter {

    /** The outcome of one request, with what the RateLimit-* and Retry-After headers need. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final Cache<String, Bucket> buckets;
    private final long periodNanos;

    public RateLimiter(Duration period, long maxKeys) {
        this.periodNanos = period.toNanos();
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period.multipliedBy(2)).build();
    }

    /** Takes one token from {@code key}'s bucket of {@code capacity} tokens, if there is one. */
    public Decision tryAcquire(String key, long capacity) {
        long now = System.nanoTime();
        Bucket b = buckets.get(key, k -> new Bucket(capacity, now));
        synchronized (b) {
            double refill = (now - b.updatedNanos) * (double) capacity / periodNanos;
            b.tokens = Math.min(capacity, b.tokens + refill);
            b.updatedNanos = now;
            double perToken = (double) periodNanos / capacity;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                long reset = (long) Math.ceil((capacity - b.tokens) * perToken / 1e9);
                return new Decision(true, capacity, (long) Math.floor(b.tokens), reset, 0);
            }
            long retry = (long) Math.ceil((1 - b.tokens) * perToken / 1e9);
            long reset = (long) Math.ceil((capacity - b.tokens) * perToken / 1e9);
            return new Decision(false, capacity, 0, reset, Math.max(1, retry));
        }
    }
}
