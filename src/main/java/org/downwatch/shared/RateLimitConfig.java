package org.downwatch.shared;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the shared rate limits ({@code downwatch.rate-limit.*}); Redis itself is {@code quarkus.redis.*}. */
@ConfigMapping(prefix = "downwatch.rate-limit")
public interface RateLimitConfig {

    /** Keys are {@code <prefix><limiter>:<client>}, so that several deployments may share one Redis. */
    @WithDefault("downwatch:rl:")
    String redisPrefix();

    /**
     * How often a degraded instance pings Redis to find it back; read by the scheduler as
     * {@code ${downwatch.rate-limit.redis-check}}.
     */
    @WithDefault("2s")
    Duration redisCheck();
}
