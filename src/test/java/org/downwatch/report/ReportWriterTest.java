package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.downwatch.report.Deduplication.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The writer's two paths when several reports of one address network arrive together: the first goes
 * through the one-statement path (its network has no row), the others through the general path, and
 * the outcome and the stored rows are what arrival order says.
 */
@QuarkusTest
class ReportWriterTest {

    static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ReportQueue queue;

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
            outcomes.add(queue.submit(new Submission(ids[0], ids[1], now, "FR", null, null, "api", who, network, null, null))
                    .toCompletableFuture());
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (CompletableFuture<Submission.Outcome> o : outcomes) {
            verdicts.add(o.get().verdict());
        }
        assertEquals(List.of(Verdict.COUNTED, Verdict.DUPLICATE, Verdict.COUNTED, Verdict.COUNTED, Verdict.NETWORK_LIMIT), verdicts,
                "A counts (a new network), A again is a duplicate, B and C count, D finds the network's 3 used up");
        // the network is alone in its wide network (Submission's short constructor): one row, the wide network's
        byte[] wide = new Submission(ids[0], ids[1], now, "FR", null, null, "api", a, network, null, null).wide();
        String row = "from report_network where service_id = " + ids[0] + " and network_hash = '\\x" + hex(wide) + "'";
        assertEquals(1, count("select count(*) " + row));
        assertEquals(3, count("select cardinality(reporter_hash) " + row));
        assertEquals(1, count("select count(*) " + row + " and address_network = array_fill('\\x" + hex(network)
                + "'::bytea, array[3])"), "each entry carries its address network");
        assertEquals(0, count("select count(*) from report_network where network_hash = '\\x" + hex(network) + "'"),
                "no row of the address network");
        assertEquals(3, count("select count(*) from report where reporter_hash in ('\\x" + hex(a) + "', '\\x" + hex(b) + "', '\\x"
                + hex(c) + "', '\\x" + hex(d) + "')"));
    }

    @Test
    void aWideNetworkCountsTenWhetherItsReportsComeTogetherOrNotAndSketchesItsMinute() throws Exception {
        int[] ids = laPosteParcels();
        byte[] wide = hash();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // 4 alone (the one-statement path), then 8 together (one address network each): 10 counted
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            verdicts.add(queue.submit(new Submission(ids[0], ids[1], now.plusMillis(i), "FR", null, null, "api", hash(), hash(),
                    null, null, wide, null, 200 + i)).toCompletableFuture().get().verdict());
        }
        List<CompletableFuture<Submission.Outcome>> together = new ArrayList<>();
        for (int i = 4; i < 12; i++) {
            together.add(queue.submit(new Submission(ids[0], ids[1], now.plusMillis(i), "FR", null, null, "api", hash(), hash(),
                    null, null, wide, null, 200 + i)).toCompletableFuture());
        }
        for (CompletableFuture<Submission.Outcome> o : together) {
            verdicts.add(o.get().verdict());
        }
        assertEquals(10, verdicts.stream().filter(v -> v == Verdict.COUNTED).count(), verdicts.toString());
        assertEquals(List.of(Verdict.WIDE_NETWORK_LIMIT, Verdict.WIDE_NETWORK_LIMIT), verdicts.subList(10, 12), verdicts.toString());
        String row = "from report_network where service_id = " + ids[0] + " and network_hash = '\\x" + hex(wide) + "'";
        assertEquals(10, count("select cardinality(reporter_hash) " + row));
        // the minute's sketch holds the bits of the counted reports (bits 200 to 209 are in b3, from bit 8 on)
        long minute = now.getEpochSecond() / 60 * 60;
        long b3 = count("select bit_or(b3) from report_minute_network where service_id = " + ids[0]
                + " and minute between to_timestamp(" + minute + ") and to_timestamp(" + (minute + 60) + ")");
        for (int bit = 200; bit < 210; bit++) {
            assertEquals(1, (b3 >>> (bit - 192)) & 1, "bit " + bit);
        }
    }

    @Test
    void oneRowDecidesThePersonAndTheAddressCapAcrossBatchesAndBothPaths() throws Exception {
        int[] ids = laPosteParcels();
        byte[] wide = hash();
        byte[] home = hash();
        byte[] a = hash();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<Verdict> alone = new ArrayList<>();
        // one by one (each the first of its wide network in its batch: the one-statement path decides or hands on)
        byte[][] who = {a, a, hash(), hash(), hash()};
        byte[][] where = {home, home, home, home, hash()};
        for (int i = 0; i < who.length; i++) {
            alone.add(queue.submit(new Submission(ids[0], ids[1], now.plusMillis(i), "FR", null, null, "api", who[i], where[i],
                    null, null, wide, null, 1)).toCompletableFuture().get().verdict());
        }
        assertEquals(List.of(Verdict.COUNTED, Verdict.DUPLICATE, Verdict.COUNTED, Verdict.COUNTED, Verdict.COUNTED), alone,
                "A, A again (duplicate), two more at home (3 there), then another address of the wide network");
        assertEquals(Verdict.NETWORK_LIMIT, queue.submit(new Submission(ids[0], ids[1], now.plusMillis(9), "FR", null, null, "api",
                hash(), home, null, null, wide, null, 1)).toCompletableFuture().get().verdict(), "a 4th at home");
        String row = "from report_network where service_id = " + ids[0] + " and network_hash = '\\x" + hex(wide) + "'";
        assertEquals(4, count("select cardinality(address_network) " + row));
        assertEquals(4, count("select cardinality(counted_at_ms) " + row));
        assertEquals(0, count("select count(*) from report_network where network_hash = '\\x" + hex(home) + "'"));
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
