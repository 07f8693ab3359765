package org.downwatch.detect;

import java.time.Instant;

/**
 * A CDI event: the reports of [from, to) were rewritten (the demo data generated them), so that what the
 * detectors learned is void. Live detection forgets it and replays the history.
 */
public record HistoryImported(Instant from, Instant to) {
}
