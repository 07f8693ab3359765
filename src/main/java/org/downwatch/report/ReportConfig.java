package org.downwatch.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the reporting feature ({@code downwatch.report.*}, or {@code DOWNWATCH_REPORT_*}), with
 * their defaults; application.properties holds only profile overrides.
 */
@ConfigMapping(prefix = "downwatch.report")
public interface ReportConfig {

    /** A second report of the same person for the same service within this window is not counted. At most a day. */
    @WithDefault("PT30M")
    Duration window();

    /** At most this many counted reports per address network (IPv4, IPv6 /64) per service per window. */
    @WithDefault("3")
    int perNetwork();

    /**
     * At most this many counted reports per wide network (IPv4 /24, IPv6 /48) per service per window: one
     * provider block, office or cloud subnet cannot stand for a crowd (it holds 256 addresses or 65,536 /64s,
     * each allowed {@link #perNetwork()}). Ten: a big office or a carrier's NAT still counts as several people.
     */
    @WithDefault("10")
    int perWideNetwork();

    /** Requests one client network may send to the report endpoints per {@link #ratePeriod()}. */
    @WithDefault("30")
    int rateLimit();

    /** The period of {@link #rateLimit()}; beyond it, 429 with Retry-After. */
    @WithDefault("PT1M")
    Duration ratePeriod();

    /** Reports waiting for the database at most; beyond, 503. */
    @WithDefault("20000")
    int queueSize();

    /** Reports committed together at most (one transaction, a few statements). */
    @WithDefault("1000")
    int batchSize();

    /**
     * Threads writing batches. One by default: concurrent batches wait for each other on the same
     * report_minute rows anyway, and one writer lets batches grow with the load.
     */
    @WithDefault("1")
    int flushers();

    /**
     * A report request not answered within this time is answered 503 with Retry-After, whether it waits
     * in the queue, on a slow statement (cancelled by the server after this time) or on a connection that
     * stopped answering (the JDBC socket timeout of the batch's connection is this plus 5 s).
     */
    @WithDefault("PT10S")
    Duration timeout();

    /**
     * Secret of the keyed hashes (a key derived from it daily) and form tokens. When not set (the
     * default), the hashes' keys are random per UTC day, shared through {@code reporter_key} and deleted
     * once the window after their day has passed ({@link ReporterKeys}); nothing to configure.
     */
    Optional<String> secret();

    /** How long the report form's anti-forgery token stays valid after the page was shown. */
    @WithDefault("PT4H")
    Duration formTokenValidity();
}
