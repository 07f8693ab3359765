package org.downwatch.shared;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The proxies in front of Downwatch ({@code downwatch.proxy.*}, {@code DOWNWATCH_PROXY_*}); see {@link ClientAddress}. */
@ConfigMapping(prefix = "downwatch.proxy")
public interface ProxyConfig {

    /** Proxies (CIDR list) whose X-Forwarded-For and X-Forwarded-Proto are believed; loopback by default. */
    @WithDefault("127.0.0.0/8,::1/128")
    String trustedProxies();
}
