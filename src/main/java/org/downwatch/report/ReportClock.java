package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The server's time for reports (never the client's), to the millisecond. Tests in this package may
 * fix or shift it to cross a de-duplication window or midnight without waiting.
 */
@ApplicationScoped
public class ReportClock {

    private volatile Instant fixed;
    private volatile Duration offset = Duration.ZERO;

    public Instant now() {
        Instant f = fixed;
        Instant t = f != null ? f : Instant.now().plus(offset);
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    void fix(Instant at) {
        fixed = at;
    }

    void shift(Duration by) {
        Instant f = fixed;
        if (f != null) {
            fixed = f.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    void reset() {
        fixed = null;
        offset = Duration.ZERO;
    }
}
