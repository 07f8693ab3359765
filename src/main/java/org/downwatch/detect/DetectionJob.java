package org.downwatch.detect;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.downwatch.catalog.Catalog;
import org.jboss.logging.Logger;

/**
 * Live detection: every minute, evaluates the minute that just ended for every service
 * ({@link ServiceDetectors}), writes {@code service_status} and opens, updates and closes incidents.
 * <p>
 * Cluster-safe: each evaluation runs in one transaction that first takes a PostgreSQL advisory lock; the
 * last evaluated minute is kept in {@code app_setting}, so an instance that did not evaluate the last
 * minutes feeds them silently to its detectors and writes only what nobody wrote; an instance that does
 * not evaluate at all (another one holds the lock, or was faster) follows the same way, after the lock is
 * released, so that the charts it serves have their baseline. Open incidents are read back from the
 * database at each evaluation.
 * <p>
 * The evaluating instance saves what the detectors learned every {@code downwatch.detect.save-every} and
 * at shutdown; a start, or an instance taking over, restores it if it is no older than
 * {@code downwatch.detect.replay} and feeds only the minutes since, otherwise replays that much history.
 */
@ApplicationScoped
public class DetectionJob {

    private static final Logger LOG = Logger.getLogger(DetectionJob.class);

    private final ServiceDetectors detectors;
    private final DetectionStore store;
    private final DetectConfig config;
    /** Guards {@link #detectors}: the schedule, the warm-up, the shutdown and the tests take turns. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Clock clock = Clock.systemUTC();
    /** The evaluations that wrote: counts read, detectors stepped, incidents and status written, committed. */
    private final Timer evaluationTimer;
    private final Event<MinuteEvaluated> evaluated;

    DetectionJob(ServiceDetectors detectors, DetectionStore store, DetectConfig config, MeterRegistry metrics,
            Event<MinuteEvaluated> evaluated) {
        this.detectors = detectors;
        this.evaluated = evaluated;
        this.store = store;
        this.config = config;
        this.evaluationTimer = Timer.builder("downwatch.detect.evaluation")
                .description("Live detection: one evaluation of every service (usually one minute), committed")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    /** For tests: the clock that says which minute just ended. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * Warms the detectors up (the saved state and the minutes since, or weeks of history) beside the start,
     * not in it: reports are accepted and pages served meanwhile, with the status last written. Observes
     * after the demo data (default priority), which replays a history it rewrote itself.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (config.enabled()) {
            Infrastructure.getDefaultWorkerPool().execute(this::evaluateNow);
        }
    }

    /** Saves what the detectors learned, so that the next start need not replay it. */
    void onStop(@Observes ShutdownEvent event) {
        if (!config.enabled()) {
            return;
        }
        try {
            // a minute's evaluation takes milliseconds; a warm-up still running has nothing complete to save
            if (!lock.tryLock(10, TimeUnit.SECONDS)) {
                LOG.info("Detection: still warming up at shutdown, nothing saved");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (detectors.unsaved()) {
                detectors.save();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Detection: could not save the detectors' state at shutdown", e);
        } finally {
            lock.unlock();
        }
    }

    /** The history was rewritten: forget everything and replay it. */
    void onHistoryImported(@Observes HistoryImported imported) {
        if (!config.enabled()) {
            return;
        }
        lock.lock();
        try {
            reset();
            store.forgetEvaluations();
            evaluateUntil(clock.instant());
        } catch (SQLException e) {
            LOG.error("Detection: could not replay the imported history", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Services were merged (here or on another instance): detection goes on from the merged series. A service
     * added at runtime needs nothing here: the next evaluation gives it a fresh (young) detector.
     */
    void onCatalogChange(@Observes Catalog.Changed change) {
        if (change.merged().isEmpty()) {
            return;
        }
        lock.lock();
        try (Connection c = store.transaction()) {
            detectors.relearnMerged(c, change.merged(), config.replay().toMinutes());
        } catch (SQLException e) {
            LOG.warn("Detection: could not relearn merged services; replaying the history at the next evaluation", e);
            detectors.reset();
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(cron = "${downwatch.detect.cron:5 * * * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyMinute() {
        if (config.enabled()) {
            evaluateNow();
        }
    }

    private void evaluateNow() {
        try {
            evaluateUntil(clock.instant().minus(config.lag()));
        } catch (SQLException | RuntimeException e) {
            LOG.error("Detection: evaluation failed", e);
        }
    }

    /** Tells the pages which minute the detectors stand at, once it is committed (here or by the leader). */
    private void fireEvaluated() {
        long minute = detectors.minute();
        if (minute != Long.MIN_VALUE) {
            evaluated.fire(new MinuteEvaluated(minute));
        }
    }

    /** Forgets the in-memory state: the next evaluation warms up from the saved state or the history again. */
    void reset() {
        lock.lock();
        try {
            detectors.reset();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Evaluates every minute that ended before {@code now} and was not evaluated yet (cluster-wide).
     * Answers false when another instance holds the lock.
     */
    public boolean evaluateUntil(Instant now) throws SQLException {
        long target = Math.floorDiv(now.getEpochSecond(), 60) - 1; // the last finished minute
        long replay = config.replay().toMinutes();
        lock.lock();
        try (Connection c = store.transaction()) {
            try {
                if (detectors.minute() == Long.MIN_VALUE) {
                    // a cold start warms up to what was evaluated before taking the lock, so that other
                    // instances go on evaluating meanwhile (a replay of weeks takes minutes at scale)
                    long evaluated = store.evaluatedUntil(c);
                    if (evaluated >= target - replay) { // else the replay below starts later anyway
                        detectors.catchUp(c, evaluated, target, replay);
                    }
                    c.commit();
                }
                boolean evaluating = store.tryLock(c);
                long done = store.evaluatedUntil(c);
                long writeFrom = Math.max(done == Long.MIN_VALUE ? Long.MIN_VALUE : done + 1, target - replay + 1);
                if (!evaluating || writeFrom > target) {
                    // another instance evaluates, or did: follow it silently, so that the charts this instance
                    // serves have their baseline; without holding up the lock
                    c.commit();
                    detectors.catchUp(c, done, target, replay);
                    c.commit();
                    fireEvaluated();
                    return evaluating;
                }
                long minute = detectors.minute();
                if (minute == Long.MIN_VALUE || minute < target - replay || minute > target) {
                    detectors.warmUp(c, target, replay);
                }
                long t0 = System.nanoTime();
                long silentUntil = Math.min(writeFrom - 1, target);
                if (detectors.minute() < silentUntil) {
                    detectors.feed(c, detectors.minute() + 1, silentUntil, false);
                }
                detectors.adoptOpenIncidents(c);
                long from = detectors.minute() + 1;
                detectors.feed(c, from, target, true);
                detectors.flushIncidents(c);
                detectors.writeStatus(c, target);
                store.setEvaluatedUntil(c, target);
                c.commit();
                fireEvaluated();
                long elapsed = System.nanoTime() - t0;
                evaluationTimer.record(elapsed, TimeUnit.NANOSECONDS);
                if (target - from > 5) {
                    LOG.infof("Detection: evaluated %d minutes of %d services in %d ms", target - from + 1, detectors.size(),
                            elapsed / 1_000_000);
                }
                if (detectors.saveDue(config.saveEvery().toMinutes())) {
                    try {
                        detectors.save();
                    } catch (SQLException | RuntimeException e) {
                        LOG.warn("Detection: could not save the detectors' state", e); // the next start replays
                    }
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                detectors.invalidate();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }
}
