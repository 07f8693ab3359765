package org.downwatch.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of webhook deliveries ({@code downwatch.webhooks.*}). */
@ConfigMapping(prefix = "downwatch.webhooks")
public interface WebhookConfig {

    /** Whether this instance runs a delivery worker (every instance may: they share the work safely). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Whether targets on loopback, private, link-local or other non-public addresses are allowed. Off in
     * production (a subscription must not reach the servers behind Downwatch); the tests use a local receiver.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** How often the worker looks for new events and due deliveries. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Deliveries attempted at once by one worker. */
    @WithDefault("50")
    int batchSize();

    /** Time allowed for one attempt (connect and answer). */
    @WithDefault("PT10S")
    Duration timeout();

    /** Failed attempts are retried for this long after the event. */
    @WithDefault("P1D")
    Duration retryFor();

    /** The first retry waits about this long; each next one twice as long (with jitter), up to backoff-max. */
    @WithDefault("PT30S")
    Duration backoffBase();

    @WithDefault("PT1H")
    Duration backoffMax();

    /** A subscription whose attempts have all failed for this long (and at least disable-min-failures times) is disabled. */
    @WithDefault("P3D")
    Duration disableAfter();

    @WithDefault("10")
    int disableMinFailures();

    /** Delivered and failed deliveries (and their events) are deleted after this long. */
    @WithDefault("P30D")
    Duration keep();

    /** Public base URL of the site, for the links in event bodies. */
    @WithDefault("http://localhost:8080")
    String siteUrl();
}
