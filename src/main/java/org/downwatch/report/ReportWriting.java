package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of report writing: down while the last batch failed (the database refused it, or the
 * flusher hit any error), for at most {@link #HOLD_MILLIS} without a later attempt, so that a load
 * balancer that stops sending reports lets the instance try again.
 */
@Readiness
@ApplicationScoped
class ReportWriting implements HealthCheck {

    static final long HOLD_MILLIS = 30_000;

    private volatile long lastFailure;
    private volatile long lastSuccess;

    void failed() {
        lastFailure = System.currentTimeMillis();
    }

    /** A batch started at {@code started} (epoch ms) went through, unless a failure was recorded since. */
    void succeededUnlessFailedSince(long started) {
        if (lastFailure < started) {
            lastSuccess = System.currentTimeMillis();
        }
    }

    boolean writing() {
        long failure = lastFailure;
        return failure == 0 || lastSuccess > failure || System.currentTimeMillis() - failure > HOLD_MILLIS;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("report-writing").status(writing()).build();
    }
}
