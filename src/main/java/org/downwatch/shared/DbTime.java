package org.downwatch.shared;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads a timestamptz column from a native query, whatever type the driver and Hibernate hand back. */
public final class DbTime {

    private DbTime() {
    }

    /** The instant, or null for SQL null. */
    public static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalArgumentException("Not a time: " + o.getClass());
    }
}
