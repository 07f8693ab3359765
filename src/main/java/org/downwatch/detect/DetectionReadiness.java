package org.downwatch.detect;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in readiness whether this instance's detectors are caught up with the cluster's last evaluated minute
 * (so that its pages draw the same baselines as the leader's). It stays UP either way: a warming or lagging
 * instance still serves reports and pages, and the database's own check says when it cannot.
 */
@Readiness
@ApplicationScoped
class DetectionReadiness implements HealthCheck {

    /** Minutes an instance may trail the evaluated minute and still be caught up (a follower feeds after the leader). */
    static final long SLACK_MINUTES = 2;

    private final DetectionStore store;
    private final ServiceDetectors detectors;
    private final DetectConfig config;

    DetectionReadiness(DetectionStore store, ServiceDetectors detectors, DetectConfig config) {
        this.store = store;
        this.detectors = detectors;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("detection").up();
        if (!config.enabled()) {
            return r.withData("detection", "off on this instance").build();
        }
        long here = detectors.minute();
        long evaluated;
        try (Connection c = store.transaction()) {
            evaluated = store.evaluatedUntil(c);
        } catch (SQLException e) {
            return r.withData("caughtUp", "unknown: the database did not answer").build();
        }
        r.withData("caughtUp", caughtUp(here, evaluated));
        if (evaluated != Long.MIN_VALUE) {
            r.withData("lastEvaluated", Instant.ofEpochSecond(evaluated * 60).toString());
        }
        r.withData("followedUntil", here == Long.MIN_VALUE ? "not warmed up yet" : Instant.ofEpochSecond(here * 60).toString());
        return r.build();
    }

    /** Caught up: nothing was evaluated yet, or this instance has fed its detectors up to the evaluated minute. */
    static boolean caughtUp(long followedUntil, long evaluated) {
        return evaluated == Long.MIN_VALUE
                || followedUntil != Long.MIN_VALUE && followedUntil >= evaluated - SLACK_MINUTES;
    }
}
