package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.downwatch.report.Deduplication.Decisions;
import org.downwatch.report.Deduplication.Entry;
import org.downwatch.report.Deduplication.Key;
import org.downwatch.report.Deduplication.Row;
import org.downwatch.report.Deduplication.Verdict;
import org.junit.jupiter.api.Test;

class DeduplicationTest {

    static final int SERVICE = 7;
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final byte[] NET = {1};
    static final byte[] NET_TOMORROW = {2};
    static final byte[] A = {10};
    static final byte[] B = {11};
    static final byte[] C = {12};
    static final byte[] D = {13};

    final Deduplication dedup = new Deduplication(Duration.ofMinutes(30), 3, 10);

    static Submission report(byte[] who, Instant at) {
        return new Submission(SERVICE, 1, at, null, null, null, "api", who, NET, null, null);
    }

    static long ms(Instant t) {
        return t.toEpochMilli();
    }

    /** The rows as {@link ReportWriter} reads them when none existed: created with the provisional entry. */
    static Map<Key, Row> created(List<Submission> batch) {
        Map<Key, Row> rows = new HashMap<>();
        Deduplication.provisional(batch).forEach((k, v) -> rows.put(k, new Row(v, true)));
        return rows;
    }

    static Map<Key, Row> stored(Entry... entries) {
        return Map.of(new Key(SERVICE, NET), new Row(List.of(entries), false));
    }

    @Test
    void decidesInArrivalOrderWithTheReasonOfEachRefusal() {
        List<Submission> batch = List.of(report(A, T0), report(A, T0), report(B, T0), report(C, T0), report(D, T0));
        Decisions d = dedup.decide(batch, created(batch));
        assertEquals(List.of(Verdict.COUNTED, Verdict.DUPLICATE, Verdict.COUNTED, Verdict.COUNTED, Verdict.NETWORK_LIMIT),
                List.of(d.verdicts()));
        assertEquals(List.of(batch.get(0), batch.get(2), batch.get(3)), d.counted());
        assertEquals(List.of(new Entry(A, ms(T0)), new Entry(B, ms(T0)), new Entry(C, ms(T0))), d.changed().get(new Key(SERVICE, NET)));
    }

    @Test
    void aCreatedRowCountedAsProvisionedNeedsNoSecondWrite() {
        List<Submission> batch = List.of(report(A, T0), report(A, T0.plusSeconds(1)));
        Decisions d = dedup.decide(batch, created(batch));
        assertEquals(List.of(Verdict.COUNTED, Verdict.DUPLICATE), List.of(d.verdicts()));
        assertTrue(d.changed().isEmpty(), "the row already holds A's entry");
    }

    @Test
    void theSamePersonCountsAgainOnceTheWindowHasPassed() {
        Map<Key, Row> rows = stored(new Entry(A, ms(T0)));
        Instant justBefore = T0.plus(Duration.ofMinutes(30)).minusMillis(1);
        assertEquals(Verdict.DUPLICATE, dedup.decide(List.of(report(A, justBefore)), rows).verdicts()[0]);
        assertEquals(Verdict.COUNTED, dedup.decide(List.of(report(A, T0.plus(Duration.ofMinutes(30)))), rows).verdicts()[0]);
    }

    @Test
    void theNetworkCapCountsOnlyReportsWithinTheWindowAndKeepsTheNewest() {
        Map<Key, Row> rows = stored(new Entry(A, ms(T0)), new Entry(B, ms(T0.plusSeconds(600))), new Entry(C, ms(T0.plusSeconds(1200))));
        assertEquals(Verdict.NETWORK_LIMIT, dedup.decide(List.of(report(D, T0.plusSeconds(1500))), rows).verdicts()[0]);
        Decisions later = dedup.decide(List.of(report(D, T0.plus(Duration.ofMinutes(30)))), rows);
        assertEquals(Verdict.COUNTED, later.verdicts()[0], "A is out of the window");
        assertEquals(List.of(new Entry(B, ms(T0.plusSeconds(600))), new Entry(C, ms(T0.plusSeconds(1200))),
                new Entry(D, ms(T0.plus(Duration.ofMinutes(30))))), later.changed().get(new Key(SERVICE, NET)));
    }

    @Test
    void aDuplicateIsSaidBeforeAFullNetwork() {
        Map<Key, Row> rows = stored(new Entry(A, ms(T0)), new Entry(B, ms(T0)), new Entry(C, ms(T0)));
        assertEquals(Verdict.DUPLICATE, dedup.decide(List.of(report(B, T0.plusSeconds(60))), rows).verdicts()[0]);
        assertEquals("duplicate", Verdict.DUPLICATE.reason());
        assertEquals("network-limit", Verdict.NETWORK_LIMIT.reason());
        assertEquals(null, Verdict.COUNTED.reason());
    }

    @Test
    void nearMidnightTheStateGoesUnderTomorrowsKeysToo() {
        byte[] aTomorrow = {20};
        Submission late = new Submission(SERVICE, 1, T0, null, null, null, "api", A, NET, aTomorrow, NET_TOMORROW);
        TreeMap<Key, List<Entry>> provisional = Deduplication.provisional(List.of(late));
        assertEquals(List.of(new Entry(A, ms(T0))), provisional.get(new Key(SERVICE, NET)));
        assertEquals(List.of(new Entry(aTomorrow, ms(T0))), provisional.get(new Key(SERVICE, NET_TOMORROW)));

        Map<Key, Row> rows = new HashMap<>(stored(new Entry(B, ms(T0.minusSeconds(60)))));
        rows.put(new Key(SERVICE, NET_TOMORROW), new Row(List.of(new Entry(aTomorrow, ms(T0))), true));
        Decisions d = dedup.decide(List.of(late), rows);
        assertEquals(Verdict.COUNTED, d.verdicts()[0]);
        assertEquals(List.of(new Entry(B, ms(T0.minusSeconds(60))), new Entry(A, ms(T0))), d.changed().get(new Key(SERVICE, NET)));
        assertTrue(!d.changed().containsKey(new Key(SERVICE, NET_TOMORROW)), "created as it ends up: nothing to rewrite");
    }

    @Test
    void aCreatedRowWhoseReportIsRefusedIsEmptied() {
        // another transaction counted A between the fast path and this one: the row this batch created
        // for tomorrow's key must not keep a provisional entry of a report that did not count
        Submission late = new Submission(SERVICE, 1, T0, null, null, null, "api", A, NET, new byte[] {20}, NET_TOMORROW);
        Map<Key, Row> rows = new HashMap<>(stored(new Entry(A, ms(T0.minusSeconds(5)))));
        rows.put(new Key(SERVICE, NET_TOMORROW), new Row(List.of(new Entry(new byte[] {20}, ms(T0))), true));
        Decisions d = dedup.decide(List.of(late), rows);
        assertEquals(Verdict.DUPLICATE, d.verdicts()[0]);
        assertEquals(List.of(), d.changed().get(new Key(SERVICE, NET_TOMORROW)));
        assertEquals(new ArrayList<>(d.changed().keySet()), List.of(new Key(SERVICE, NET_TOMORROW)));
    }

    @Test
    void picksTheFirstReportOfEachNetworkForTheFastPath() {
        Submission other = new Submission(SERVICE + 1, 1, T0, null, null, null, "api", A, NET, null, null);
        List<Submission> batch = List.of(report(A, T0), report(B, T0), other, report(C, T0));
        assertEquals(List.of(0, 2), Deduplication.firstOfEachNetwork(batch));
        assertArrayEquals(NET, Deduplication.network(batch.get(1)).bytes());
    }

    static final byte[] WIDE = {30};

    /** A report of person {@code who} from address network {@code net} inside the wide network WIDE. */
    static Submission inWide(int who, int net, Instant at) {
        return new Submission(SERVICE, 1, at, null, null, null, "api", new byte[] {(byte) who, 1}, new byte[] {(byte) net, 2},
                null, null, WIDE, null, 7);
    }

    @Test
    void aWideNetworkCountsAtMostTenReportsPerWindowWhateverItsAddresses() {
        // 12 people, each on an address of their own (12 /64s or IPv4 addresses) of one /48 or /24
        List<Submission> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batch.add(inWide(i, i, T0.plusSeconds(i)));
        }
        Decisions d = dedup.decide(batch, created(batch));
        List<Verdict> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add(i < 10 ? Verdict.COUNTED : Verdict.WIDE_NETWORK_LIMIT);
        }
        assertEquals(expected, List.of(d.verdicts()));
        assertEquals("network-limit", Verdict.WIDE_NETWORK_LIMIT.reason());
        assertEquals(10, d.changed().get(new Key(SERVICE, WIDE)).size());
        // the refused ones' address rows, created for them, are emptied
        assertEquals(List.of(), d.changed().get(new Key(SERVICE, new byte[] {10, 2})));
        // half an hour after the first, room again
        Map<Key, Row> rows = new HashMap<>();
        rows.put(new Key(SERVICE, WIDE), new Row(d.changed().get(new Key(SERVICE, WIDE)), false));
        Submission later = inWide(20, 20, T0.plus(Duration.ofMinutes(30)));
        rows.put(network(later), new Row(List.of(new Entry(later.reporter(), ms(later.receivedAt()))), true));
        assertEquals(Verdict.COUNTED, dedup.decide(List.of(later), rows).verdicts()[0]);
    }

    static Key network(Submission s) {
        return Deduplication.network(s);
    }

    @Test
    void theAddressRulesComeBeforeTheWideOne() {
        List<Submission> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(inWide(i, i, T0));
        }
        batch.add(inWide(3, 3, T0.plusSeconds(5))); // person 3 again: a duplicate, not a full wide network
        Decisions d = dedup.decide(batch, created(batch));
        assertEquals(Verdict.DUPLICATE, d.verdicts()[10]);
    }

    @Test
    void dropsTheEntryTheOneStatementPathLeftInTheWideRow() {
        // the fast path appended person 5's report to the wide row, then found 5's address row taken
        Submission five = inWide(5, 5, T0.plusSeconds(60));
        List<Entry> wide = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            wide.add(new Entry(new byte[] {(byte) (40 + i), 1}, ms(T0)));
        }
        wide.add(new Entry(five.reporter(), ms(five.receivedAt())));
        Map<Key, Row> rows = new HashMap<>();
        rows.put(new Key(SERVICE, WIDE), new Row(List.copyOf(wide), false));
        rows.put(network(five), new Row(List.of(new Entry(five.reporter(), ms(T0))), false)); // 5 counted a minute ago
        Decisions d = dedup.decide(List.of(five), rows);
        assertEquals(Verdict.DUPLICATE, d.verdicts()[0]);
        assertEquals(wide.subList(0, 9), d.changed().get(new Key(SERVICE, WIDE)), "the phantom entry is gone");

        // and a new person of the wide network still fits beside the 9 real ones
        Submission six = inWide(6, 6, T0.plusSeconds(61));
        rows.put(network(six), new Row(List.of(new Entry(six.reporter(), ms(six.receivedAt()))), true));
        rows.put(new Key(SERVICE, WIDE), new Row(List.copyOf(wide), false));
        Decisions d2 = dedup.decide(List.of(five, six), rows);
        assertEquals(List.of(Verdict.DUPLICATE, Verdict.COUNTED), List.of(d2.verdicts()));
        assertEquals(10, d2.changed().get(new Key(SERVICE, WIDE)).size());
    }

    @Test
    void theFastPathTakesOneReportPerWideNetworkToo() {
        List<Submission> batch = List.of(inWide(1, 1, T0), inWide(2, 2, T0), report(A, T0));
        assertEquals(List.of(0, 2), Deduplication.firstOfEachNetwork(batch));
    }
}
