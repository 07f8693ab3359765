package org.downwatch.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the demo data ({@code downwatch.demo.*}). */
@ConfigMapping(prefix = "downwatch.demo")
public interface DemoConfig {

    /** Generates and keeps up a demo history; only the dev profile sets it, so demo data never reaches prod or tests. */
    @WithDefault("false")
    boolean enabled();

    /** How much history the demo generates. */
    @WithDefault("P14D")
    Duration history();
}
