package org.downwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.downwatch.shared.DbTime;
import org.downwatch.shared.ProblemException;

/** Subscriptions of an API key, and their deliveries. Plain SQL: the tables are this feature's own. */
@ApplicationScoped
class WebhookSubscriptions {

    static final int MAX_PER_KEY = 100;
    private static final Set<String> LEVELS = Set.of("possible", "problem");
    private static final String COLUMNS = "ws.id, ws.url, s.slug, ws.category, ws.min_level, ws.created_at, ws.disabled_at, "
            + "ws.consecutive_failures";

    private final EntityManager em;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    WebhookSubscriptions(EntityManager em, WebhookConfig config, ObjectMapper mapper) {
        this.em = em;
        this.config = config;
        this.mapper = mapper;
    }

    /** The id of the active API key with this plain text (the api feature stores its SHA-256 only). */
    @Transactional
    @SuppressWarnings("unchecked")
    Optional<Long> apiKeyId(String plain) {
        if (plain == null || plain.isBlank()) {
            return Optional.empty();
        }
        List<Number> ids = em.createNativeQuery("select id from api_key where key_hash = :h and revoked_at is null")
                .setParameter("h", sha256(plain.trim())).getResultList();
        return ids.stream().findFirst().map(Number::longValue);
    }

    @Transactional
    WebhookModels.SubscriptionCreated create(long keyId, WebhookModels.SubscriptionRequest r) {
        if (r == null) {
            throw ProblemException.invalid("url", "is required");
        }
        URI url = url(r.url());
        Integer serviceId = null;
        if (r.service() != null && !r.service().isBlank()) {
            if (r.category() != null && !r.category().isBlank()) {
                throw ProblemException.invalid("category", "give a service or a category, not both");
            }
            serviceId = single("select id from service where slug = :v", r.service().trim())
                    .orElseThrow(() -> ProblemException.invalid("service", "no service has this slug")).intValue();
        }
        String category = null;
        if (r.category() != null && !r.category().isBlank()) {
            category = r.category().trim();
            if (single("select 1 from category where slug = :v", category).isEmpty()) {
                throw ProblemException.invalid("category", "no category has this slug");
            }
        }
        String level = r.minLevel() == null || r.minLevel().isBlank() ? "problem" : r.minLevel().trim();
        if (!LEVELS.contains(level)) {
            throw ProblemException.invalid("minLevel", "must be possible or problem");
        }
        long count = ((Number) em.createNativeQuery("select count(*) from webhook_subscription where api_key_id = :k")
                .setParameter("k", keyId).getSingleResult()).longValue();
        if (count >= MAX_PER_KEY) {
            throw ProblemException.invalid("url", "an API key has at most " + MAX_PER_KEY + " subscriptions");
        }
        String secret = Signatures.newSecret();
        Object[] row = (Object[]) em.createNativeQuery("insert into webhook_subscription (api_key_id, url, service_id, "
                + "category, min_level, secret) values (:k, :u, cast(:s as integer), cast(:c as text), :l, :x) returning id, created_at")
                .setParameter("k", keyId).setParameter("u", url.toString()).setParameter("s", serviceId)
                .setParameter("c", category).setParameter("l", level).setParameter("x", secret).getSingleResult();
        return new WebhookModels.SubscriptionCreated(((Number) row[0]).longValue(), url.toString(),
                serviceId == null ? null : r.service().trim(), category, level, true, DbTime.instant(row[1]), secret);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<WebhookModels.Subscription> list(long keyId) {
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from webhook_subscription ws "
                + "left join service s on s.id = ws.service_id where ws.api_key_id = :k order by ws.id")
                .setParameter("k", keyId).getResultList();
        return rows.stream().map(WebhookSubscriptions::subscription).toList();
    }

    /** The key's subscription, or 404 (another key's subscription is not found either). */
    @Transactional
    @SuppressWarnings("unchecked")
    WebhookModels.Subscription get(long keyId, long id) {
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from webhook_subscription ws "
                + "left join service s on s.id = ws.service_id where ws.api_key_id = :k and ws.id = :id")
                .setParameter("k", keyId).setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("No subscription of this API key has the id " + id);
        }
        return subscription(rows.get(0));
    }

    @Transactional
    void delete(long keyId, long id) {
        get(keyId, id);
        em.createNativeQuery("delete from webhook_subscription where id = :id").setParameter("id", id).executeUpdate();
    }

    /** Enables a disabled subscription again, its failures forgotten. */
    @Transactional
    WebhookModels.Subscription enable(long keyId, long id) {
        get(keyId, id);
        em.createNativeQuery("update webhook_subscription set disabled_at = null, consecutive_failures = 0, "
                + "failing_since = null where id = :id").setParameter("id", id).executeUpdate();
        return get(keyId, id);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<WebhookModels.Delivery> deliveries(long keyId, long subscriptionId, int size) {
        get(keyId, subscriptionId);
        List<Object[]> rows = em.createNativeQuery("select id, message_id, type, status, attempts, created_at, last_attempt_at, "
                + "last_status, last_error, next_attempt_at, delivered_at, body from webhook_delivery "
                + "where subscription_id = :s order by id desc limit :n")
                .setParameter("s", subscriptionId).setParameter("n", size).getResultList();
        return rows.stream().map(this::delivery).toList();
    }

    /** Sends a delivery again (same webhook-id and body), now, with a new day of retries. */
    @Transactional
    @SuppressWarnings("unchecked")
    WebhookModels.Delivery resend(long keyId, long subscriptionId, long deliveryId) {
        get(keyId, subscriptionId);
        int n = em.createNativeQuery("update webhook_delivery set status = 'pending', next_attempt_at = now(), "
                + "retry_until = now() + :r * interval '1 second' where id = :d and subscription_id = :s")
                .setParameter("r", config.retryFor().toSeconds()).setParameter("d", deliveryId)
                .setParameter("s", subscriptionId).executeUpdate();
        if (n == 0) {
            throw ProblemException.notFound("Subscription " + subscriptionId + " has no delivery " + deliveryId);
        }
        List<Object[]> rows = em.createNativeQuery("select id, message_id, type, status, attempts, created_at, last_attempt_at, "
                + "last_status, last_error, next_attempt_at, delivered_at, body from webhook_delivery where id = :d")
                .setParameter("d", deliveryId).getResultList();
        return delivery(rows.get(0));
    }

    private URI url(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.invalid("url", "is required");
        }
        if (text.length() > 2000) {
            throw ProblemException.invalid("url", "at most 2000 characters");
        }
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("url", "is not a URL");
        }
        Optional<String> refused = TargetGuard.refusal(url, config.allowPrivateTargets());
        if (refused.isPresent()) {
            throw ProblemException.invalid("url", refused.get());
        }
        return url;
    }

    @SuppressWarnings("unchecked")
    private Optional<Number> single(String sql, String value) {
        List<Object> rows = em.createNativeQuery(sql).setParameter("v", value).getResultList();
        return rows.stream().findFirst().map(o -> (Number) o);
    }

    private static WebhookModels.Subscription subscription(Object[] r) {
        return new WebhookModels.Subscription(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], r[6] == null, DbTime.instant(r[5]), DbTime.instant(r[6]), ((Number) r[7]).intValue());
    }

    private WebhookModels.Delivery delivery(Object[] r) {
        String status = (String) r[3];
        WebhookModels.Event event;
        try {
            event = mapper.readValue((String) r[11], WebhookModels.Event.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new WebhookModels.Delivery(((Number) r[0]).longValue(), (String) r[1], (String) r[2], status,
                ((Number) r[4]).intValue(), DbTime.instant(r[5]), DbTime.instant(r[6]),
                r[7] == null ? null : ((Number) r[7]).intValue(), (String) r[8],
                "pending".equals(status) ? DbTime.instant(r[9]) : null, DbTime.instant(r[10]), event);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
