package org.downwatch.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the catalog ({@code downwatch.catalog.*}). */
@ConfigMapping(prefix = "downwatch.catalog")
public interface CatalogConfig {

    /**
     * How often every instance checks {@code catalog_version} and reloads the catalog when it moved: the
     * longest a change made through another instance takes to be served here. Read by the scheduler as
     * {@code ${downwatch.catalog.refresh-every}}; declared here so that the setting is known and typed.
     */
    @WithDefault("2s")
    Duration refreshEvery();
}
