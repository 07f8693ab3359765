package org.downwatch.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the pages ({@code downwatch.web.*}). */
@ConfigMapping(prefix = "downwatch.web")
public interface WebConfig {

    /**
     * The home page lists recent incidents with at least this many reports (and the open ones): at 0.1
     * false alarms per service-week, thousands of services make a few small "incidents" of quiet services
     * an hour.
     */
    @WithDefault("50")
    int homeIncidentMinReports();

    /**
     * At most this many bytes of rendered pages (plain and gzip) are kept for the last evaluated minute;
     * the least used are dropped first.
     */
    @WithDefault("67108864")
    long pageCacheBytes();
}
