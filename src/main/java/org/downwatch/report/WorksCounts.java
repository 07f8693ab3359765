package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the "it works for me" counts ({@code works_minute}) for the pages, the service's last hour and the
 * series. Detection never reads this table: these counts are shown beside the reports, never in them.
 */
@ApplicationScoped
public class WorksCounts {

    private final EntityManager em;

    WorksCounts(EntityManager em) {
        this.em = em;
    }

    /** People who said the service works, over [from, to). */
    @Transactional
    public int between(int serviceId, Instant from, Instant to) {
        Number n = (Number) em.createNativeQuery("select coalesce(sum(count), 0) from works_minute "
                + "where service_id = :service and minute >= :from and minute < :to")
                .setParameter("service", serviceId).setParameter("from", from).setParameter("to", to).getSingleResult();
        return n.intValue();
    }

    /** Counts per bucket of {@code bucketSeconds} over [from, to), by the bucket's start (epoch seconds, UTC-aligned). */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<Long, Integer> buckets(int serviceId, Instant from, Instant to, long bucketSeconds) {
        List<Object[]> rows = em.createNativeQuery("select floor(extract(epoch from minute) / :size)::bigint * :size, sum(count) "
                + "from works_minute where service_id = :service and minute >= :from and minute < :to group by 1")
                .setParameter("size", bucketSeconds).setParameter("service", serviceId)
                .setParameter("from", from).setParameter("to", to).getResultList();
        Map<Long, Integer> out = new HashMap<>();
        for (Object[] r : rows) {
            out.put(((Number) r[0]).longValue(), ((Number) r[1]).intValue());
        }
        return out;
    }
}
