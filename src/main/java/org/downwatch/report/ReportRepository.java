package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.downwatch.shared.DbTime;

/** Reads stored reports back (the public part only: never the reporter hash). */
@ApplicationScoped
public class ReportRepository {

    /** A counted report as the API shows it. */
    public record StoredReport(long id, int serviceId, int problemTypeId, Instant receivedAt, String country, String city) {
    }

    private final EntityManager em;

    ReportRepository(EntityManager em) {
        this.em = em;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<StoredReport> find(int serviceId, long id) {
        List<Object[]> rows = em.createNativeQuery("select id, service_id, problem_type_id, received_at, country, city "
                + "from report where id = :id and service_id = :service")
                .setParameter("id", id).setParameter("service", serviceId).getResultList();
        return rows.stream().findFirst().map(r -> new StoredReport(((Number) r[0]).longValue(), ((Number) r[1]).intValue(),
                ((Number) r[2]).intValue(), DbTime.instant(r[3]), (String) r[4], (String) r[5]));
    }
}
