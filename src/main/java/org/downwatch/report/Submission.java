package org.downwatch.report;

import java.time.Instant;
import java.util.Arrays;

/**
 * A valid report on its way to the database, with its reporter's keyed hashes. {@code reporterNext},
 * {@code networkNext} and {@code wideNext} are the hashes under tomorrow's key, set only when the report
 * arrives less than a window before UTC midnight: the state is then written under both keys, so that the
 * daily rotation never opens a gap (a report at 23:50 and another at 00:10 are the same person).
 * {@code network} is the address network (IPv4 address, IPv6 /64), {@code wide} the wide network (IPv4 /24,
 * IPv6 /48) and {@code networkBit} the wide network's position (0 to 255) in the per-minute sketch of
 * distinct networks, under a key that does not change daily.
 */
record Submission(int serviceId, int problemTypeId, Instant receivedAt, String country, String city,
        String postcode, String source, byte[] reporter, byte[] network, byte[] reporterNext, byte[] networkNext,
        byte[] wide, byte[] wideNext, int networkBit) {

    /**
     * A submission whose wide network is its address network alone (the wide cap, above the address cap,
     * then never binds): for code and tests about the address rules only.
     */
    Submission(int serviceId, int problemTypeId, Instant receivedAt, String country, String city, String postcode,
            String source, byte[] reporter, byte[] network, byte[] reporterNext, byte[] networkNext) {
        this(serviceId, problemTypeId, receivedAt, country, city, postcode, source, reporter, network, reporterNext,
                networkNext, alone(network), networkNext == null ? null : alone(networkNext), Arrays.hashCode(network) & 0xff);
    }

    /** A wide key that no other network shares: the network's hash behind a marker byte. */
    private static byte[] alone(byte[] network) {
        byte[] w = new byte[network.length + 1];
        w[0] = 'w';
        System.arraycopy(network, 0, w, 1, network.length);
        return w;
    }

    /**
     * The problem type id of an "it works for me" signal (issue 24): no problem type has it (identity ids
     * start at 1). Such a submission goes through the same queue, batches and de-duplication as a report, and
     * is written to {@code works_minute} instead of {@code report} and {@code report_minute}.
     */
    static final int WORKS = 0;

    boolean works() {
        return problemTypeId == WORKS;
    }

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
