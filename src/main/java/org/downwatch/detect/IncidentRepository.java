package org.downwatch.detect;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class IncidentRepository implements PanacheRepository<Incident> {

    /** The latest incidents of all services with at least {@code minReports} reports, and the open ones, newest first. */
    public List<Incident> recent(int limit, int minReports) {
        return find("reportCount >= ?1 or endedAt is null", Sort.descending("startedAt"), minReports).page(Page.ofSize(limit)).list();
    }

    /** The latest incidents of one service, newest first. */
    public List<Incident> recentFor(int serviceId, int limit) {
        return find("serviceId", Sort.descending("startedAt"), serviceId).page(Page.ofSize(limit)).list();
    }

    public Optional<Incident> openFor(int serviceId) {
        return find("serviceId = ?1 and endedAt is null", serviceId).firstResultOptional();
    }

    /**
     * Incidents matching the filters (each may be null), newest first, one page (from 0) of {@code size}.
     * {@code open}: true for open ones, false for closed ones. The time range selects incidents that
     * overlap [from, to).
     */
    public List<Incident> search(Integer serviceId, Boolean open, Instant from, Instant to, int pageIndex, int size) {
        Filter f = filter(serviceId, open, from, to);
        return find(f.query, Sort.descending("startedAt").and("id", Sort.Direction.Descending), f.params)
                .page(Page.of(pageIndex, size)).list();
    }

    public long count(Integer serviceId, Boolean open, Instant from, Instant to) {
        Filter f = filter(serviceId, open, from, to);
        return count(f.query, f.params);
    }

    /** Reports per problem type id recorded for the incident, most reported first. */
    public Map<Integer, Integer> problems(long incidentId) {
        return problems(List.of(incidentId)).get(incidentId);
    }

    /**
     * Reports per problem type id for each of these incidents, in one query (lists and feeds show many
     * incidents: one query each would be N+1). Incidents without recorded problems map to an empty map.
     */
    @SuppressWarnings("unchecked")
    public Map<Long, Map<Integer, Integer>> problems(Collection<Long> incidentIds) {
        Map<Long, Map<Integer, Integer>> out = new LinkedHashMap<>();
        for (Long id : incidentIds) {
            out.put(id, new LinkedHashMap<>());
        }
        if (incidentIds.isEmpty()) {
            return out;
        }
        List<Object[]> rows = getEntityManager().createNativeQuery(
                "select incident_id, problem_type_id, count from incident_problem where incident_id in (:ids) "
                        + "order by incident_id, count desc, problem_type_id")
                .setParameter("ids", incidentIds).getResultList();
        for (Object[] r : rows) {
            out.get(((Number) r[0]).longValue()).put(((Number) r[1]).intValue(), ((Number) r[2]).intValue());
        }
        return out;
    }

    private record Filter(String query, Parameters params) {
    }

    private static Filter filter(Integer serviceId, Boolean open, Instant from, Instant to) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (serviceId != null) {
            q.append(" and serviceId = :service");
            p = p.and("service", serviceId);
        }
        if (open != null) {
            q.append(open ? " and endedAt is null" : " and endedAt is not null");
        }
        if (from != null) {
            q.append(" and (endedAt is null or endedAt >= :from)");
            p = p.and("from", from);
        }
        if (to != null) {
            q.append(" and startedAt < :to");
            p = p.and("to", to);
        }
        return new Filter(q.toString(), p);
    }
}
