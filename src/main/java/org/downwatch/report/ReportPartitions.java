package org.downwatch.report;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Keeps the daily partitions of {@code report} created ahead of time and drops those past retention,
 * so that an insert never finds its day missing and retention is a partition drop.
 */
@ApplicationScoped
public class ReportPartitions {

    private static final Logger LOG = Logger.getLogger(ReportPartitions.class);

    private final EntityManager em;
    private final int daysAhead;
    private final int retentionDays;

    ReportPartitions(EntityManager em, PartitionsConfig config) {
        this.em = em;
        this.daysAhead = config.daysAhead();
        this.retentionDays = config.retentionDays();
    }

    void onStart(@Observes StartupEvent event) {
        maintain();
    }

    @Scheduled(cron = "0 17 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        maintain();
    }

    /** Creates the partitions from yesterday to {@code days-ahead} days from now; drops expired ones. */
    @Transactional
    public void maintain() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int created = ensure(today.minusDays(1), today.plusDays(daysAhead));
        int dropped = ((Number) em.createNativeQuery("select drop_report_partitions_before(cast(:d as date))")
                .setParameter("d", today.minusDays(retentionDays).toString()).getSingleResult()).intValue();
        if (created > 0 || dropped > 0) {
            LOG.infof("Report partitions: %d created, %d dropped (retention %d days)", created, dropped, retentionDays);
        }
    }

    /** Creates the daily partitions covering [from, to] that do not exist yet; returns how many. */
    @Transactional
    public int ensure(LocalDate from, LocalDate to) {
        return ((Number) em.createNativeQuery("select ensure_report_partitions(cast(:f as date), cast(:t as date))")
                .setParameter("f", from.toString()).setParameter("t", to.toString()).getSingleResult()).intValue();
    }
}
