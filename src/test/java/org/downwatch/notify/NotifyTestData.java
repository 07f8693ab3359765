package org.downwatch.notify;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Rows the webhook tests need, written with plain SQL as the api and detect features would. */
@ApplicationScoped
public class NotifyTestData {

    private final EntityManager em;

    NotifyTestData(EntityManager em) {
        this.em = em;
    }

    /** A new API key; returns its plain text. */
    @Transactional
    public String apiKey() throws Exception {
        String plain = "dw_test_" + UUID.randomUUID();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(plain.getBytes(StandardCharsets.UTF_8));
        em.createNativeQuery("insert into api_key (name, key_hash, created_at) values ('webhook test', :h, now())")
                .setParameter("h", hash).executeUpdate();
        return plain;
    }

    /** Forgets every subscription (and delivery), and marks every earlier event as handled. */
    @Transactional
    public void reset() {
        em.createNativeQuery("delete from webhook_subscription").executeUpdate();
        em.createNativeQuery("update webhook_outbox set fanned_out = true").executeUpdate();
    }

    @Transactional
    public int serviceId(String slug) {
        return ((Number) em.createNativeQuery("select id from service where slug = :s").setParameter("s", slug)
                .getSingleResult()).intValue();
    }

    /** Opens (endedAt null) or records a closed incident, as the detector does: one insert. */
    @Transactional
    public long incident(String slug, Instant startedAt, Instant endedAt) {
        int id = serviceId(slug);
        if (endedAt == null) {
            em.createNativeQuery("update incident set ended_at = started_at + interval '1 minute' where service_id = :s "
                    + "and ended_at is null").setParameter("s", id).executeUpdate();
        }
        return ((Number) em.createNativeQuery("insert into incident (service_id, started_at, detected_at, peak_at, peak_count, "
                + "peak_score, ended_at, report_count) values (:s, :start, :start, :start, 10, 0.9, cast(:end as timestamptz), 10) "
                + "returning id").setParameter("s", id).setParameter("start", startedAt).setParameter("end", endedAt)
                .getSingleResult()).longValue();
    }

    /** Opens an incident and raises the service's level in one transaction, as the detector's evaluation does. */
    @Transactional
    public long openAsTheDetectorDoes(String slug) {
        long id = incident(slug, Instant.now().minusSeconds(300), null);
        level(slug, "problem");
        return id;
    }

    @Transactional
    public void peak(long incidentId, int peakCount) {
        em.createNativeQuery("update incident set peak_count = :p, peak_at = now(), report_count = report_count + :p "
                + "where id = :i").setParameter("p", peakCount).setParameter("i", incidentId).executeUpdate();
    }

    /** Writes the incident again unchanged, as the detector does every minute of an incident. */
    @Transactional
    public void touch(long incidentId) {
        em.createNativeQuery("update incident set report_count = report_count where id = :i").setParameter("i", incidentId)
                .executeUpdate();
    }

    @Transactional
    public void close(long incidentId) {
        em.createNativeQuery("update incident set ended_at = now() where id = :i").setParameter("i", incidentId).executeUpdate();
    }

    /** Sets the service's level with an upsert, as the detector writes its verdicts. */
    @Transactional
    public void level(String slug, String level) {
        em.createNativeQuery("insert into service_status (service_id, level, since, evaluated_at, observed, expected, upper, "
                + "window_minutes, score) values (:s, :l, now(), now(), 10, 1, 5, 15, 0.9) "
                + "on conflict (service_id) do update set level = excluded.level").setParameter("s", serviceId(slug))
                .setParameter("l", level).executeUpdate();
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<Object[]> deliveries(long subscriptionId) {
        return em.createNativeQuery("select status, attempts, last_status, last_error, message_id from webhook_delivery "
                + "where subscription_id = :s order by id").setParameter("s", subscriptionId).getResultList();
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> outboxTypes(long incidentId) {
        return em.createNativeQuery("select type || coalesce(':' || reason, '') from webhook_outbox where incident_id = :i "
                + "order by id").setParameter("i", incidentId).getResultList();
    }
}
