package org.downwatch.report;

import java.time.Instant;

/**
 * A valid report on its way to the database, with its reporter's keyed hashes. {@code reporterNext}
 * and {@code networkNext} are the hashes under tomorrow's key, set only when the report arrives less
 * than a window before UTC midnight: the state is then written under both keys, so that the daily
 * rotation never opens a gap (a report at 23:50 and another at 00:10 are the same person).
 */
record Submission(int serviceId, int problemTypeId, Instant receivedAt, String country, String city,
        String postcode, String source, byte[] reporter, byte[] network, byte[] reporterNext, byte[] networkNext) {

    /** The answer once the batch holding the submission committed: its id when counted. */
    record Outcome(boolean counted, long id) {
    }
}
