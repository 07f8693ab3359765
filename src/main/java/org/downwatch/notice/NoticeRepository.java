package org.downwatch.notice;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
class NoticeRepository implements PanacheRepository<Notice> {

    /** One page of the service's notices, newest first. */
    List<Notice> page(int serviceId, int pageIndex, int size) {
        return find("serviceId = ?1 order by postedAt desc, id desc", serviceId).page(Page.of(pageIndex, size)).list();
    }

    long countFor(int serviceId) {
        return count("serviceId", serviceId);
    }

    /** The service's notices posted before {@code before}, newest first. */
    List<Notice> postedBefore(int serviceId, Instant before, int limit) {
        return find("serviceId = ?1 and postedAt < ?2 order by postedAt desc, id desc", serviceId, before).page(Page.ofSize(limit))
                .list();
    }

    /** Maintenance windows of the service declared before {@code before} and not over at {@code endingAfter}. */
    List<Notice> windows(int serviceId, Instant endingAfter, Instant before) {
        return find("serviceId = ?1 and kind = 'maintenance' and endsAt > ?2 and postedAt < ?3 order by startsAt", serviceId,
                endingAfter, before).list();
    }

    /**
     * Every notice of these services that could bear on incidents since {@code since}: notices posted since then,
     * and maintenance windows not over by then.
     */
    List<Notice> bearingOn(List<Integer> serviceIds, Instant since) {
        return find("serviceId in ?1 and (postedAt >= ?2 or (kind = 'maintenance' and endsAt > ?2)) order by postedAt",
                serviceIds, since).list();
    }
}
