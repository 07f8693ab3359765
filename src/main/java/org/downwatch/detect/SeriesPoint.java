package org.downwatch.detect;

import java.time.Instant;

/**
 * One bucket of a service's report series: reports counted from {@code start}, the usual count for
 * that bucket ({@code baseline}) and the count above which it is anomalous ({@code upper});
 * {@code partial} for the current, unfinished bucket.
 */
public record SeriesPoint(Instant start, int count, double baseline, double upper, boolean partial) {
}
