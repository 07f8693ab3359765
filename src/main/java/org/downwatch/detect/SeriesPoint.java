package org.downwatch.detect;

import java.time.Instant;

/**
 * One bucket of a service's report series: reports counted from {@code start}, the usual count for
 * that bucket ({@code baseline}) and the count above which it is anomalous ({@code upper}), both null
 * while the detector has evaluated none of its minutes; {@code partial} for the current, unfinished bucket.
 */
public record SeriesPoint(Instant start, int count, Double baseline, Double upper, boolean partial) {

    /** Whether the detector has evaluated any minute of the bucket (and so gave a baseline). */
    public boolean evaluated() {
        return baseline != null;
    }
}
