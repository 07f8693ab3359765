package org.downwatch.region;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads where a service's reports came from: one grouped query over the raw reports of a range (the
 * per-minute counts do not keep places). Grouped by country, the first three digits of a French postcode
 * (enough for the département, Corsica and overseas included: the full postcode never leaves the
 * database) and the city as typed; {@link Breakdown} folds spellings and applies the privacy rule.
 */
@ApplicationScoped
public class RegionReader {

    private final EntityManager em;

    RegionReader(EntityManager em) {
        this.em = em;
    }

    /** The grouped rows of the service's reports over [from, to). Call inside a transaction. */
    @SuppressWarnings("unchecked")
    public List<Breakdown.Row> rows(int serviceId, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery("""
                select country,
                       case when country = 'FR' and postcode ~ '^[0-9]{5}$' then left(postcode, 3) end as prefix,
                       city, count(*)
                from report
                where service_id = :service and received_at >= :from and received_at < :to
                group by 1, 2, 3""")
                .setParameter("service", serviceId).setParameter("from", from).setParameter("to", to).getResultList();
        List<Breakdown.Row> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Breakdown.Row((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue()));
        }
        return out;
    }
}
