package org.downwatch.detect;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Report series for charts and the API, built from the per-minute counts (never raw reports):
 * counts per UTC-aligned bucket with the baseline and upper bound of each bucket.
 */
@ApplicationScoped
public class SeriesReader {

    private final EntityManager em;
    private final ServiceDetectors live;

    SeriesReader(EntityManager em, ServiceDetectors live) {
        this.em = em;
        this.live = live;
    }

    /**
     * Buckets of {@code bucket} (1 to 60 minutes) covering [from, to), aligned to UTC; no bucket
     * starts after now, and the bucket holding now is {@code partial} (its count and its baseline cover
     * its minutes so far).
     */
    @Transactional
    public List<SeriesPoint> series(int serviceId, Instant from, Instant to, Duration bucket) {
        return series(serviceId, from, to, bucket, Instant.now());
    }

    /** As {@link #series(int, Instant, Instant, Duration)}, at {@code now}. */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<SeriesPoint> series(int serviceId, Instant from, Instant to, Duration bucket, Instant now) {
        long size = bucket.getSeconds();
        Instant start = Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), size) * size);
        Instant end = to.isAfter(now) ? now : to;
        List<Object[]> rows = em.createNativeQuery("select floor(extract(epoch from minute) / :size)::bigint * :size, sum(count) "
                + "from report_minute where service_id = :service and minute >= :from and minute < :to group by 1")
                .setParameter("size", size).setParameter("service", serviceId)
                .setParameter("from", start).setParameter("to", end).getResultList();
        Map<Long, Integer> counts = new LinkedHashMap<>();
        for (Object[] r : rows) {
            counts.put(((Number) r[0]).longValue(), ((Number) r[1]).intValue());
        }
        List<SeriesPoint> points = new ArrayList<>();
        Detector detector = live.detector(serviceId);
        for (Instant b = start; b.isBefore(end); b = b.plusSeconds(size)) {
            points.add(point(detector, b, size, counts.getOrDefault(b.getEpochSecond(), 0), now));
        }
        return points;
    }

    /**
     * The point of one bucket: its count with the baseline and upper bound from the live detector's
     * model as it saw each minute (memory, no query). Minutes the detector has not evaluated yet (NaN)
     * have none, rather than a usual count of 0; the unfinished bucket's baseline covers its minutes so far.
     */
    public SeriesPoint point(int serviceId, Instant bucketStart, Duration bucket, int count, Instant now) {
        return point(live.detector(serviceId), bucketStart, bucket.getSeconds(), count, now);
    }

    private static SeriesPoint point(Detector detector, Instant b, long size, int count, Instant now) {
        boolean partial = b.plusSeconds(size).isAfter(now);
        Double baseline = null;
        Double upper = null;
        if (detector != null) {
            long first = b.getEpochSecond() / 60;
            long last = Math.min(first + size / 60 - 1, Math.floorDiv(now.getEpochSecond(), 60));
            double sum = 0;
            boolean any = false;
            for (long m = first; m <= last; m++) {
                double r = detector.expectedRate(m);
                if (!Double.isNaN(r)) {
                    sum += r;
                    any = true;
                }
            }
            if (any) {
                baseline = sum;
                upper = sum > 0 ? detector.upper(sum) : 0.0;
            }
        }
        return new SeriesPoint(b, count, baseline, upper, partial);
    }

    /** Reports per problem type id over [from, to), from the per-minute counts. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Map<Integer, Integer> problemCounts(int serviceId, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery("select problem_type_id, sum(count) from report_minute "
                + "where service_id = :service and minute >= :from and minute < :to group by 1 order by 2 desc")
                .setParameter("service", serviceId).setParameter("from", from).setParameter("to", to).getResultList();
        Map<Integer, Integer> out = new LinkedHashMap<>();
        for (Object[] r : rows) {
            out.put(((Number) r[0]).intValue(), ((Number) r[1]).intValue());
        }
        return out;
    }
}
