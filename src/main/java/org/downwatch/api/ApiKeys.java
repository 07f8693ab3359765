package org.downwatch.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Creates, checks and revokes API keys. A key is {@code dw_} and 32 random bytes (base64url); only its
 * SHA-256 is stored. Lookups are cached for a minute per instance, so that a busy client costs no query.
 */
@ApplicationScoped
class ApiKeys {

    /** What the rate limiter needs to know about a valid key. */
    record Known(long id, Integer rateLimit) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final ApiKeyRepository repository;
    private final Cache<String, Optional<Known>> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    ApiKeys(ApiKeyRepository repository) {
        this.repository = repository;
    }

    /** A new key, returned with its plain text (which is not kept). */
    @Transactional
    ApiModels.ApiKeyCreated create(String name, Integer rateLimit) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String plain = "dw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey k = new ApiKey();
        k.name = name.trim();
        k.keyHash = sha256(plain);
        k.rateLimit = rateLimit;
        k.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.persist(k);
        return new ApiModels.ApiKeyCreated(k.id, k.name, plain, k.rateLimit, k.createdAt);
    }

    /** Revokes a key; false when there is no such active key. */
    @Transactional
    boolean revoke(long id) {
        ApiKey k = repository.findById(id);
        if (k == null || k.revokedAt != null) {
            return false;
        }
        k.revokedAt = Instant.now();
        cache.invalidateAll();
        return true;
    }

    /** The active key matching this plain text, if any. */
    Optional<Known> find(String plain) {
        if (!wellFormed(plain)) {
            return Optional.empty(); // no lookup, no cache entry for a made-up key
        }
        byte[] hash = sha256(plain);
        return cache.get(HexFormat.of().formatHex(hash), h -> lookup(hash));
    }

    /** The shape of a key this class creates: {@code dw_} and 43 base64url characters. */
    static boolean wellFormed(String plain) {
        return plain != null && plain.length() == 46 && plain.startsWith("dw_")
                && plain.chars().skip(3).allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }

    @Transactional
    Optional<Known> lookup(byte[] hash) {
        return repository.findActive(hash).map(k -> new Known(k.id, k.rateLimit));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
