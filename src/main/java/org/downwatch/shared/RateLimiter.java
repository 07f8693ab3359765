package org.downwatch.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Token buckets per key (a client, an API key...), held in memory per instance and forgotten when
 * idle. Each bucket holds up to {@code capacity} tokens and refills at capacity per {@code period}.
 * <p>
 * With a {@link Shared} store (Redis, see {@link RateLimits}), the bucket here is this instance's view
 * of the cluster's bucket: each token taken is also taken from the shared bucket, and the shared
 * bucket's answer replaces the local level. Decisions never wait for the store (they are taken on I/O
 * threads), so an instance whose view is stale (others took tokens since its last answer) may let a few
 * more through; the shared bucket then owes them, and pays them back from its refill.
 */
public final class RateLimiter {

    /** The outcome of one request, with what the RateLimit-* and Retry-After headers need. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /** Where the cluster's buckets live; {@code take} answers through {@link Bucket#shared}, on any thread. */
    interface Shared {
        /** False while the store is unusable: the local buckets decide alone. */
        boolean usable();

        void take(String key, long capacity, Bucket bucket, long seq);
    }

    static final class Bucket {
        double tokens;
        long updatedNanos;
        /** Tokens taken here and sent to the shared store, and the last of them it answered. */
        long sent;
        long answered;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        /**
         * The shared bucket held {@code tokens} (below zero: owed) after taking token {@code seq}; the tokens
         * sent since are not in it yet.
         */
        synchronized void shared(long seq, double tokens) {
            if (seq > answered) {
                answered = seq;
                this.tokens = tokens - (sent - seq);
                updatedNanos = System.nanoTime();
            }
        }
    }

    private final Cache<String, Bucket> buckets;
    private final long periodNanos;
    private final Shared shared;

    public RateLimiter(Duration period, long maxKeys) {
        this(period, maxKeys, null);
    }

    RateLimiter(Duration period, long maxKeys, Shared shared) {
        this.periodNanos = period.toNanos();
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period.multipliedBy(2)).build();
        this.shared = shared;
    }

    /** Takes one token from {@code key}'s bucket of {@code capacity} tokens, if there is one. */
    public Decision tryAcquire(String key, long capacity) {
        long now = System.nanoTime();
        Bucket b = buckets.get(key, k -> new Bucket(capacity, now));
        long seq;
        Decision d;
        synchronized (b) {
            double refill = Math.max(0, now - b.updatedNanos) * (double) capacity / periodNanos;
            b.tokens = Math.min(capacity, b.tokens + refill);
            b.updatedNanos = Math.max(now, b.updatedNanos);
            double perToken = (double) periodNanos / capacity;
            if (b.tokens < 1) {
                long retry = (long) Math.ceil((1 - b.tokens) * perToken / 1e9);
                long reset = (long) Math.ceil((capacity - b.tokens) * perToken / 1e9);
                return new Decision(false, capacity, 0, reset, Math.max(1, retry));
            }
            b.tokens -= 1;
            long reset = (long) Math.ceil((capacity - b.tokens) * perToken / 1e9);
            d = new Decision(true, capacity, (long) Math.floor(b.tokens), reset, 0);
            seq = ++b.sent;
        }
        if (shared != null && shared.usable()) {
            shared.take(key, capacity, b, seq);
        }
        return d;
    }
}
