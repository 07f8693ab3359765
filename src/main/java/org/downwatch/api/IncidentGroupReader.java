package org.downwatch.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.downwatch.shared.DbTime;

/**
 * Reads the incidents started in a range and groups them ({@link IncidentGroups}): for the incident-groups
 * API and for the pages (the home page's groups, a service page's "other services since the same minutes"),
 * which read it when a page version is rendered.
 */
@ApplicationScoped
public class IncidentGroupReader {

    /** Incidents starting within this of a group's first one are in the group (the API's default). */
    public static final Duration WINDOW = IncidentGroupsResource.DEFAULT_WINDOW;

    private final EntityManager em;

    IncidentGroupReader(EntityManager em) {
        this.em = em;
    }

    /** Groups of the incidents started in [from, to), oldest first. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<IncidentGroups.Group> groups(Instant from, Instant to, Duration window) {
        List<Object[]> rows = em.createNativeQuery("select i.id, s.slug, s.name, s.category, s.provider, i.started_at, "
                + "i.ended_at, i.report_count from incident i join service s on s.id = i.service_id "
                + "where i.started_at >= :from and i.started_at < :to").setParameter("from", from)
                .setParameter("to", to).getResultList();
        if (rows.size() < 2) {
            return List.of();
        }
        List<IncidentGroups.Member> members = rows.stream().map(x -> new IncidentGroups.Member(((Number) x[0]).longValue(),
                (String) x[1], (String) x[2], (String) x[3], (String) x[4], DbTime.instant(x[5]), DbTime.instant(x[6]),
                ((Number) x[7]).intValue())).toList();
        Map<String, Integer> sizes = new HashMap<>();
        for (Object[] p : (List<Object[]>) em.createNativeQuery("select provider, count(*) from service "
                + "where provider is not null group by provider").getResultList()) {
            sizes.put((String) p[0], ((Number) p[1]).intValue());
        }
        return IncidentGroups.group(members, window, sizes);
    }
}
