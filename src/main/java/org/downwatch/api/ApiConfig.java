package org.downwatch.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the public API ({@code downwatch.api.*}). */
@ConfigMapping(prefix = "downwatch.api")
public interface ApiConfig {

    /**
     * Token for the admin endpoints ({@code Authorization: Bearer <token>}). When it is not set, the
     * admin endpoints answer 403: the application still starts.
     */
    Optional<String> adminToken();

    RateLimit rateLimit();

    Cache cache();

    interface RateLimit {

        /** Whether read endpoints and the backtest are rate-limited at all. */
        @WithDefault("true")
        boolean enabled();

        /** The period over which the limits below apply (the bucket refills over it). */
        @WithDefault("PT1M")
        Duration period();

        /** Requests per period for a client without an API key (per IPv4 address or IPv6 /64). */
        @WithDefault("120")
        long anonymous();

        /** Requests per period for a client with an API key, unless the key has its own limit. */
        @WithDefault("1200")
        long apiKey();

        /** Backtests per period for a client without an API key (a backtest is much heavier than a read). */
        @WithDefault("10")
        long backtestAnonymous();

        /** Backtests per period for a client with an API key. */
        @WithDefault("100")
        long backtestApiKey();

        /** Clients remembered at once (least recently seen are forgotten first). */
        @WithDefault("100000")
        long maxClients();
    }

    interface Cache {

        /** Cache-Control max-age of data that changes every minute (status, series, incidents). */
        @WithDefault("PT30S")
        Duration maxAge();

        /** Cache-Control max-age of the categories (they change with a migration only). */
        @WithDefault("PT1H")
        Duration categoriesMaxAge();
    }
}
