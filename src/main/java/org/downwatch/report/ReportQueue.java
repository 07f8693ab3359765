package org.downwatch.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.health.Readiness;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * Group commit of reports. Requests put their {@link Submission} in a bounded queue (full: 503 at once)
 * and wait, without holding a thread, for the future this returns. A few flusher threads each take
 * what is waiting (at once when idle, at most {@code batch-size}) and hand it to {@link ReportWriter};
 * each request is answered on its own Vert.x context once its report's transaction committed, so a 201
 * means report and per-minute count are durable. When the database fails, the batch's waiting requests
 * get a 503 and nothing is acknowledged.
 */
@ApplicationScoped
public class ReportQueue {

    private static final Logger LOG = Logger.getLogger(ReportQueue.class);
    static final int RETRY_AFTER_FULL = 2;
    static final int RETRY_AFTER_DOWN = 10;

    private record Pending(Submission submission, CompletableFuture<Submission.Outcome> future, Context context) {
    }

    private final ReportWriter writer;
    private final ReportWriting writing;
    private final int batchSize;
    private final int flusherCount;
    private final long timeoutMillis;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> flushers = new ArrayList<>();
    private volatile boolean running;
    private final Timer flushTimer;
    private final DistributionSummary batchSizes;
    private final Counter timeouts;

    ReportQueue(ReportWriter writer, @Readiness ReportWriting writing, ReportConfig config, MeterRegistry metrics) {
        Duration window = config.window();
        if (window.compareTo(Duration.ofDays(1)) > 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("downwatch.report.window must be between 1 second and 1 day, not " + window);
        }
        this.writer = writer;
        this.writing = writing;
        this.batchSize = config.batchSize();
        this.flusherCount = config.flushers();
        this.timeoutMillis = Math.max(1, config.timeout().toMillis());
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.flushTimer = Timer.builder("downwatch.report.flush").description("Report batches: one transaction each")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.batchSizes = DistributionSummary.builder("downwatch.report.batch").description("Reports per batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.timeouts = Counter.builder("downwatch.report.timeouts")
                .description("Report requests answered 503 because no commit came within downwatch.report.timeout").register(metrics);
        Gauge.builder("downwatch.report.queue", queue, BlockingQueue::size).description("Reports waiting for a batch")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < flusherCount; i++) {
            Thread t = new Thread(this::run, "report-flusher-" + i);
            t.start();
            flushers.add(t);
        }
    }

    /** Stops taking reports, and commits those already accepted before the application stops. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        for (Thread t : flushers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Queues the submission; the stage completes after its batch committed, or fails with a 503 problem:
     * the queue is full, the database failed, or no answer came within {@code downwatch.report.timeout}
     * (waiting in the queue or on a stuck connection alike). A report answered 503 for its timeout may
     * still be committed by a batch already under way: its retry is then a duplicate, not a second count.
     */
    CompletionStage<Submission.Outcome> submit(Submission submission) {
        CompletableFuture<Submission.Outcome> future = new CompletableFuture<>();
        Context context = Vertx.currentContext();
        if (!running || !queue.offer(new Pending(submission, future, context))) {
            future.completeExceptionally(ProblemException.unavailable(
                    "Too many reports are waiting to be saved; please retry shortly", RETRY_AFTER_FULL));
            return future;
        }
        if (context != null) {
            // on the request's own event loop, as every other answer
            Vertx vertx = context.owner();
            long timer = vertx.setTimer(timeoutMillis, id -> future.completeExceptionally(timedOut()));
            future.whenComplete((o, e) -> vertx.cancelTimer(timer));
        } else {
            CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS)
                    .execute(() -> future.completeExceptionally(timedOut()));
        }
        return future;
    }

    private ProblemException timedOut() {
        timeouts.increment();
        writing.failed();
        return ProblemException.unavailable("The report could not be saved within " + timeoutMillis / 1000.0
                + " s; please retry shortly", RETRY_AFTER_DOWN);
    }

    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        List<Submission> submissions = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                // requests already answered (their timeout passed while they waited) are not written: they were told 503
                batch.removeIf(p -> p.future().isDone());
                if (batch.isEmpty()) {
                    continue;
                }
                batchSizes.record(batch.size());
                for (Pending p : batch) {
                    submissions.add(p.submission());
                }
                long start = System.nanoTime();
                long started = System.currentTimeMillis();
                writer.flush(submissions, new ReportWriter.Answers() {
                    @Override
                    public void answer(int index, Submission.Outcome outcome) {
                        complete(batch.get(index), outcome);
                    }

                    @Override
                    public void unavailable(List<Integer> indexes) {
                        writing.failed();
                        ProblemException problem = ProblemException.unavailable(
                                "The database is unavailable; please retry shortly", RETRY_AFTER_DOWN);
                        for (int i : indexes) {
                            fail(batch.get(i), problem);
                        }
                    }
                });
                flushTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                writing.succeededUnlessFailedSince(started);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // anything, an OutOfMemoryError included: this thread is the only writer, it must not die
                writing.failed();
                LOG.error("Report batch failed", e);
                ProblemException problem = ProblemException.unavailable("Reports cannot be saved right now; please retry shortly",
                        RETRY_AFTER_DOWN);
                batch.forEach(p -> fail(p, problem));
            } finally {
                batch.clear();
                submissions.clear();
            }
        }
    }

    private static void complete(Pending p, Submission.Outcome outcome) {
        if (p.context() != null) {
            p.context().runOnContext(v -> p.future().complete(outcome));
        } else {
            p.future().complete(outcome);
        }
    }

    /** A no-op for a request already answered (a future completes once). */
    private static void fail(Pending p, ProblemException problem) {
        if (p.context() != null) {
            p.context().runOnContext(v -> p.future().completeExceptionally(problem));
        } else {
            p.future().completeExceptionally(problem);
        }
    }
}
