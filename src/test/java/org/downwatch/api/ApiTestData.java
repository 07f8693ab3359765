package org.downwatch.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/** Rows the API tests read, inserted with plain SQL (the detector and the report feature own them). */
@ApplicationScoped
public class ApiTestData {

    private final EntityManager em;

    ApiTestData(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public int serviceId(String slug) {
        return ((Number) em.createNativeQuery("select id from service where slug = :s").setParameter("s", slug)
                .getSingleResult()).intValue();
    }

    @Transactional
    public int problemTypeId(String slug) {
        return ((Number) em.createNativeQuery("select id from problem_type where slug = :s").setParameter("s", slug)
                .getSingleResult()).intValue();
    }

    /** Replaces the service's verdict. */
    @Transactional
    public void status(String slug, String level, Instant since, int observed, double expected, double upper) {
        int id = serviceId(slug);
        em.createNativeQuery("delete from service_status where service_id = :id").setParameter("id", id).executeUpdate();
        var q = em.createNativeQuery("insert into service_status (service_id, level, since, evaluated_at, observed, expected, "
                + "upper, window_minutes, score) values (:id, :level, " + (since == null ? "null" : ":since")
                + ", now(), :observed, :expected, :upper, 15, 0.5)");
        if (since != null) {
            q.setParameter("since", since);
        }
        q.setParameter("id", id).setParameter("level", level)
                .setParameter("observed", observed).setParameter("expected", expected).setParameter("upper", upper)
                .executeUpdate();
    }

    /** Sets the per-minute count of one problem type (upsert). */
    @Transactional
    public void minute(String slug, String problem, Instant minute, int count) {
        em.createNativeQuery("insert into report_minute (service_id, problem_type_id, minute, count) values (:s, :p, :m, :c) "
                + "on conflict (service_id, minute, problem_type_id) do update set count = excluded.count")
                .setParameter("s", serviceId(slug)).setParameter("p", problemTypeId(problem)).setParameter("m", minute)
                .setParameter("c", count).executeUpdate();
    }

    /** Deletes the service's incidents (so that a new open one does not clash with an old one). */
    @Transactional
    public void clearIncidents(String slug) {
        em.createNativeQuery("delete from incident where service_id = :s").setParameter("s", serviceId(slug)).executeUpdate();
    }

    /** Inserts an incident ({@code endedAt} null: open) with its problem type counts; returns its id. */
    @Transactional
    public long incident(String slug, Instant startedAt, Instant endedAt, int reportCount, Map<String, Integer> problems) {
        var insert = em.createNativeQuery("insert into incident (service_id, started_at, detected_at, peak_at, "
                + "peak_count, peak_score, ended_at, report_count) values (:s, :start, :detected, :peak, 42, 0.99, "
                + (endedAt == null ? "null" : ":end") + ", :reports) returning id")
                .setParameter("s", serviceId(slug)).setParameter("start", startedAt)
                .setParameter("detected", startedAt.plusSeconds(300)).setParameter("peak", startedAt.plusSeconds(900))
                .setParameter("reports", reportCount);
        if (endedAt != null) {
            insert.setParameter("end", endedAt);
        }
        long id = ((Number) insert.getSingleResult()).longValue();
        for (Map.Entry<String, Integer> e : problems.entrySet()) {
            em.createNativeQuery("insert into incident_problem (incident_id, problem_type_id, count) values (:i, :p, :c)")
                    .setParameter("i", id).setParameter("p", problemTypeId(e.getKey())).setParameter("c", e.getValue())
                    .executeUpdate();
        }
        return id;
    }
}
