package org.downwatch.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Retention of the raw reports ({@code downwatch.partitions.*}): one partition of {@code report} per day. */
@ConfigMapping(prefix = "downwatch.partitions")
public interface PartitionsConfig {

    /** Daily partitions are created this many days ahead, so that an insert never finds its day missing. */
    @WithDefault("7")
    int daysAhead();

    /** Partitions older than this many days are dropped. */
    @WithDefault("400")
    int retentionDays();
}
