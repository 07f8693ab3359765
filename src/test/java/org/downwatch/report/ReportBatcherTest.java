package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The batcher's decisions when several reports of one address network arrive together: the first goes
 * through the one-statement path (its network has no row), the others through the general path, and
 * the outcome is what arrival order says.
 */
@QuarkusTest
class ReportBatcherTest {

    static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ReportBatcher batcher;

    @Inject
    AgroalDataSource dataSource;

    static byte[] hash() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    int[] laPosteParcels() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select s.id, p.id from service s join problem_type p on p.slug = 'parcel-tracking' "
                        + "where s.slug = 'la-poste'")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2)};
        }
    }

    long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void reportsOfOneNetworkArrivingTogetherAreDecidedInArrivalOrder() throws Exception {
        int[] ids = laPosteParcels();
        byte[] network = hash();
        byte[] a = hash();
        byte[] b = hash();
        byte[] c = hash();
        byte[] d = hash();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<CompletableFuture<Submission.Outcome>> outcomes = new ArrayList<>();
        // A, A again, B, C, D: same network, all queued before a flusher takes them
        for (byte[] who : new byte[][] {a, a, b, c, d}) {
            outcomes.add(batcher.submit(new Submission(ids[0], ids[1], now, "FR", null, null, "api", who, network, null, null))
                    .toCompletableFuture());
        }
        boolean[] counted = new boolean[outcomes.size()];
        for (int i = 0; i < counted.length; i++) {
            counted[i] = outcomes.get(i).get().counted();
        }
        assertTrue(counted[0], "the first report of a new network counts");
        assertFalse(counted[1], "the same person again within the window does not");
        assertTrue(counted[2]);
        assertTrue(counted[3]);
        assertFalse(counted[4], "a network adds at most 3 counted reports per window");
        String row = "from report_network where service_id = " + ids[0] + " and network_hash = '\\x" + hex(network) + "'";
        assertEquals(1, count("select count(*) " + row));
        assertEquals(3, count("select cardinality(reporter_hash) " + row));
        assertEquals(3, count("select count(*) from report where reporter_hash in ('\\x" + hex(a) + "', '\\x" + hex(b) + "', '\\x"
                + hex(c) + "', '\\x" + hex(d) + "')"));
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
