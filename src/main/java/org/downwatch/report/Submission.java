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

    /** The answer once the batch holding the submission committed: its id when counted, else why not. */
    record Outcome(Deduplication.Verdict verdict, long id) {

        static Outcome counted(long id) {
            return new Outcome(Deduplication.Verdict.COUNTED, id);
        }

        static Outcome refused(Deduplication.Verdict why) {
            return new Outcome(why, 0);
        }

        boolean counted() {
            return verdict == Deduplication.Verdict.COUNTED;
        }
    }
}
