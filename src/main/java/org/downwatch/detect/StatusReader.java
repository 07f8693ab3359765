package org.downwatch.detect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.downwatch.shared.DbTime;

/** Reads the detector's latest verdicts (table {@code service_status}, replaced every minute). */
@ApplicationScoped
public class StatusReader {

    private final EntityManager em;

    StatusReader(EntityManager em) {
        this.em = em;
    }

    /** The latest verdict for one service (level {@code none} when never evaluated). */
    @Transactional
    @SuppressWarnings("unchecked")
    public ServiceStatus current(int serviceId) {
        List<Object[]> rows = em.createNativeQuery(SELECT + " where service_id = :id").setParameter("id", serviceId)
                .getResultList();
        return rows.isEmpty() ? ServiceStatus.unknown(serviceId) : status(rows.get(0));
    }

    private static final String SELECT = "select service_id, level, since, observed, expected, upper, "
            + "window_minutes, score, evaluated_at from service_status";

    private static ServiceStatus status(Object[] r) {
        return new ServiceStatus(((Number) r[0]).intValue(), (String) r[1], DbTime.instant(r[2]),
                ((Number) r[3]).intValue(), ((Number) r[4]).doubleValue(), ((Number) r[5]).doubleValue(),
                ((Number) r[6]).intValue(), ((Number) r[7]).doubleValue(), DbTime.instant(r[8]));
    }

    /** The latest verdicts of all evaluated services, by service id. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<Integer, ServiceStatus> all() {
        List<Object[]> rows = em.createNativeQuery(SELECT).getResultList();
        Map<Integer, ServiceStatus> out = new HashMap<>();
        for (Object[] r : rows) {
            ServiceStatus s = status(r);
            out.put(s.serviceId(), s);
        }
        return out;
    }

    /** The shown verdict of one service ({@link ServiceStatus#shown}): the detector's with its open incident. */
    @Transactional
    @SuppressWarnings("unchecked")
    public ServiceStatus shown(int serviceId) {
        List<Object> open = em.createNativeQuery("select min(started_at) from incident where service_id = :id and ended_at is null")
                .setParameter("id", serviceId).getResultList();
        return current(serviceId).shown(open.isEmpty() ? null : DbTime.instant(open.get(0)));
    }

    /** Every service's shown verdict ({@link ServiceStatus#shown}), by service id, services with an open incident included. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<Integer, ServiceStatus> shownAll() {
        Map<Integer, ServiceStatus> all = all();
        List<Object[]> open = em.createNativeQuery("select service_id, min(started_at) from incident "
                + "where ended_at is null group by 1").getResultList();
        Map<Integer, Instant> starts = new HashMap<>();
        for (Object[] r : open) {
            int id = ((Number) r[0]).intValue();
            starts.put(id, DbTime.instant(r[1]));
            all.putIfAbsent(id, ServiceStatus.unknown(id));
        }
        all.replaceAll((id, st) -> st.shown(starts.get(id)));
        return all;
    }

    /** Services at {@code possible} or {@code problem} now, the furthest above their baseline first. */
    @Transactional
    public List<ServiceStatus> withProblems() {
        return all().values().stream().filter(ServiceStatus::hasProblems)
                .sorted(Comparator.comparing((ServiceStatus s) -> ServiceStatus.PROBLEM.equals(s.level()) ? 0 : 1)
                        .thenComparing(Comparator.comparingDouble(ServiceStatus::ratio).reversed()))
                .toList();
    }
}
