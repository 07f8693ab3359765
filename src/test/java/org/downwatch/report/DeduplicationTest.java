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

    /** A report of {@code who} from the address network NET, alone in its wide network (the address rules only). */
    static Submission report(byte[] who, Instant at) {
        return new Submission(SERVICE, 1, at, null, null, null, "api", who, NET, null, null);
    }

    static long ms(Instant t) {
        return t.toEpochMilli();
    }

    /** An entry of a report of {@code who} from NET. */
    static Entry entry(byte[] who, Instant at) {
        return new Entry(who, NET, ms(at));
    }

    /** NET's wide network's row key (NET alone in it). */
    static final Key NET_ROW = Deduplication.wide(report(A, T0));

    /** The rows as {@link ReportWriter} reads them when none existed: created with the provisional entry. */
    static Map<Key, Row> created(List<Submission> batch) {
        Map<Key, Row> rows = new HashMap<>();
        Deduplication.provisional(batch).forEach((k, v) -> rows.put(k, new Row(v, true)));
        return rows;
    }

    static Map<Key, Row> stored(Entry... entries) {
        return Map.of(NET_ROW, new Row(List.of(entries), false));
    }

    @Test
    void decidesInArrivalOrderWithTheReasonOfEachRefusal() {
        List<Submission> batch = List.of(report(A, T0), report(A, T0), report(B, T0), report(C, T0), report(D, T0));
        Decisions d = dedup.decide(batch, created(batch));
        assertEquals(List.of(Verdict.COUNTED, Verdict.DUPLICATE, Verdict.COUNTED, Verdict.COUNTED, Verdict.NETWORK_LIMIT),
                List.of(d.verdicts()));
        assertEquals(List.of(batch.get(0), batch.get(2), batch.get(3)), d.counted());
        assertEquals(List.of(entry(A, T0), entry(B, T0), entry(C, T0)), d.changed().get(NET_ROW));
        assertEquals(1, d.changed().size(), "one row: the wide network's, no address network row");
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
        Map<Key, Row> rows = stored(entry(A, T0));
        Instant justBefore = T0.plus(Duration.ofMinutes(30)).minusMillis(1);
        assertEquals(Verdict.DUPLICATE, dedup.decide(List.of(report(A, justBefore)), rows).verdicts()[0]);
        assertEquals(Verdict.COUNTED, dedup.decide(List.of(report(A, T0.plus(Duration.ofMinutes(30)))), rows).verdicts()[0]);
    }

    @Test
    void theNetworkCapCountsOnlyReportsWithinTheWindowAndKeepsTheNewest() {
        Map<Key, Row> rows = stored(entry(A, T0), entry(B, T0.plusSeconds(600)), entry(C, T0.plusSeconds(1200)));
        assertEquals(Verdict.NETWORK_LIMIT, dedup.decide(List.of(report(D, T0.plusSeconds(1500))), rows).verdicts()[0]);
        Decisions later = dedup.decide(List.of(report(D, T0.plus(Duration.ofMinutes(30)))), rows);
        assertEquals(Verdict.COUNTED, later.verdicts()[0], "A is out of the window");
        assertEquals(List.of(entry(A, T0), entry(B, T0.plusSeconds(600)), entry(C, T0.plusSeconds(1200)),
                entry(D, T0.plus(Duration.ofMinutes(30)))), later.changed().get(NET_ROW),
                "the wide network's row keeps its 10 most recent, A's old one among them");
    }

    @Test
    void aDuplicateIsSaidBeforeAFullNetwork() {
        Map<Key, Row> rows = stored(entry(A, T0), entry(B, T0), entry(C, T0));
        assertEquals(Verdict.DUPLICATE, dedup.decide(List.of(report(B, T0.plusSeconds(60))), rows).verdicts()[0]);
        assertEquals("duplicate", Verdict.DUPLICATE.reason());
        assertEquals("network-limit", Verdict.NETWORK_LIMIT.reason());
        assertEquals(null, Verdict.COUNTED.reason());
    }

    @Test
    void nearMidnightTheStateGoesUnderTomorrowsKeysToo() {
        byte[] aTomorrow = {20};
        byte[] wideTomorrow = {31};
        Submission late = new Submission(SERVICE, 1, T0, null, null, null, "api", A, NET, aTomorrow, NET_TOMORROW, WIDE,
                wideTomorrow, 7);
        Key today = new Key(SERVICE, WIDE);
        Key tomorrow = new Key(SERVICE, wideTomorrow);
        TreeMap<Key, List<Entry>> provisional = Deduplication.provisional(List.of(late));
        assertEquals(List.of(new Entry(A, NET, ms(T0))), provisional.get(today));
        assertEquals(List.of(new Entry(aTomorrow, NET_TOMORROW, ms(T0))), provisional.get(tomorrow),
                "tomorrow's row holds tomorrow's reporter and address network hashes");
        assertEquals(2, provisional.size());

        Map<Key, Row> rows = new HashMap<>();
        rows.put(today, new Row(List.of(new Entry(B, NET, ms(T0.minusSeconds(60)))), false));
        rows.put(tomorrow, new Row(List.of(new Entry(aTomorrow, NET_TOMORROW, ms(T0))), true));
        Decisions d = dedup.decide(List.of(late), rows);
        assertEquals(Verdict.COUNTED, d.verdicts()[0]);
        assertEquals(List.of(new Entry(B, NET, ms(T0.minusSeconds(60))), new Entry(A, NET, ms(T0))), d.changed().get(today));
        assertTrue(!d.changed().containsKey(tomorrow), "created as it ends up: nothing to rewrite");

        // after midnight, the same person (tomorrow's hashes are then today's) is a duplicate, read from that row
        Submission early = new Submission(SERVICE, 1, T0.plus(Duration.ofMinutes(20)), null, null, null, "api", aTomorrow,
                NET_TOMORROW, null, null, wideTomorrow, null, 7);
        Map<Key, Row> next = Map.of(tomorrow, new Row(List.of(new Entry(aTomorrow, NET_TOMORROW, ms(T0))), false));
        assertEquals(Verdict.DUPLICATE, dedup.decide(List.of(early), next).verdicts()[0]);
    }

    @Test
    void aCreatedRowWhoseReportIsRefusedIsEmptied() {
        // another transaction counted A between the fast path and this one: the row this batch created
        // for tomorrow's key must not keep a provisional entry of a report that did not count
        byte[] wideTomorrow = {31};
        Submission late = new Submission(SERVICE, 1, T0, null, null, null, "api", A, NET, new byte[] {20}, NET_TOMORROW, WIDE,
                wideTomorrow, 7);
        Map<Key, Row> rows = new HashMap<>();
        rows.put(new Key(SERVICE, WIDE), new Row(List.of(new Entry(A, NET, ms(T0.minusSeconds(5)))), false));
        rows.put(new Key(SERVICE, wideTomorrow), new Row(List.of(new Entry(new byte[] {20}, NET_TOMORROW, ms(T0))), true));
        Decisions d = dedup.decide(List.of(late), rows);
        assertEquals(Verdict.DUPLICATE, d.verdicts()[0]);
        assertEquals(List.of(), d.changed().get(new Key(SERVICE, wideTomorrow)));
        assertEquals(new ArrayList<>(d.changed().keySet()), List.of(new Key(SERVICE, wideTomorrow)));
    }

    @Test
    void picksTheFirstReportOfEachWideNetworkForTheFastPath() {
        Submission other = new Submission(SERVICE + 1, 1, T0, null, null, null, "api", A, NET, null, null);
        List<Submission> batch = List.of(report(A, T0), report(B, T0), other, report(C, T0));
        assertEquals(List.of(0, 2), Deduplication.firstOfEachWideNetwork(batch));
        assertArrayEquals(NET_ROW.bytes(), Deduplication.wide(batch.get(1)).bytes());
    }

    @Test
    void theFastPathLeavesAReportWritingAnotherCandidatesRowToTheGeneralPath() {
        // just before midnight, a report writes tomorrow's row of its wide network; just after midnight another
        // report of the same wide network has that row as today's: one statement must not touch it twice
        byte[] wideTomorrow = {31};
        Submission before = new Submission(SERVICE, 1, T0, null, null, null, "api", A, NET, new byte[] {20}, NET_TOMORROW, WIDE,
                wideTomorrow, 7);
        Submission after = new Submission(SERVICE, 1, T0.plusMillis(2), null, null, null, "api", B, NET_TOMORROW, null, null,
                wideTomorrow, null, 7);
        Submission elsewhere = inWide(5, 5, T0.plusMillis(3));
        assertEquals(List.of(0), Deduplication.firstOfEachWideNetwork(List.of(before, after)));
        assertEquals(List.of(0), Deduplication.firstOfEachWideNetwork(List.of(after, before)));
        assertEquals(List.of(0), Deduplication.firstOfEachWideNetwork(List.of(before, elsewhere)),
                "elsewhere shares before's wide network");
    }

    static final byte[] WIDE = {30};

    /** A report of person {@code who} from address network {@code net} inside the wide network WIDE. */
    static Submission inWide(int who, int net, Instant at) {
        return new Submission(SERVICE, 1, at, null, null, null, "api", new byte[] {(byte) who, 1}, new byte[] {(byte) net, 2},
                null, null, WIDE, null, 7);
    }

    static Entry entry(Submission s) {
        return new Entry(s.reporter(), s.network(), ms(s.receivedAt()));
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
        assertEquals(1, d.changed().size(), "one row for the twelve");
        // half an hour after the first, room again
        Map<Key, Row> rows = new HashMap<>();
        rows.put(new Key(SERVICE, WIDE), new Row(d.changed().get(new Key(SERVICE, WIDE)), false));
        Submission later = inWide(20, 20, T0.plus(Duration.ofMinutes(30)));
        Decisions again = dedup.decide(List.of(later), rows);
        assertEquals(Verdict.COUNTED, again.verdicts()[0]);
        List<Entry> kept = again.changed().get(new Key(SERVICE, WIDE));
        assertEquals(10, kept.size(), "the oldest entry made room");
        assertEquals(entry(batch.get(1)), kept.get(0));
        assertEquals(entry(later), kept.get(9));
    }

    @Test
    void theAddressRulesComeBeforeTheWideOne() {
        List<Submission> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(inWide(i, i, T0));
        }
        batch.add(inWide(3, 3, T0.plusSeconds(5))); // person 3 again: a duplicate, not a full wide network
        batch.add(inWide(40, 3, T0.plusSeconds(6))); // another person on 3's address: the wide network is full
        Decisions d = dedup.decide(batch, created(batch));
        assertEquals(Verdict.DUPLICATE, d.verdicts()[10]);
        assertEquals(Verdict.WIDE_NETWORK_LIMIT, d.verdicts()[11]);
    }

    @Test
    void theAddressCapIsCountedAmongTheWideNetworksEntries() {
        // address network 1 has 3 people within the window among other addresses of its wide network
        List<Entry> stored = List.of(entry(inWide(1, 1, T0)), entry(inWide(2, 9, T0)), entry(inWide(3, 1, T0.plusSeconds(1))),
                entry(inWide(4, 8, T0.plusSeconds(2))), entry(inWide(5, 1, T0.plusSeconds(3))));
        Map<Key, Row> rows = Map.of(new Key(SERVICE, WIDE), new Row(stored, false));
        List<Submission> batch = List.of(inWide(6, 1, T0.plusSeconds(60)), inWide(7, 2, T0.plusSeconds(61)),
                inWide(8, 1, T0.plus(Duration.ofMinutes(30)).plusMillis(1)));
        Decisions d = dedup.decide(batch, rows);
        assertEquals(List.of(Verdict.NETWORK_LIMIT, Verdict.COUNTED, Verdict.COUNTED), List.of(d.verdicts()),
                "the 4th of address 1 is refused, address 2 counts; once 1's first two are out of the window it counts again");
    }

    @Test
    void aPersonPushedOutOfTheRowFindsTheWideNetworkFull() {
        // person 0 counted at T0, then 10 others of the wide network within the window pushed 0's entry out:
        // 0 is no longer seen as a duplicate, but 10 entries within the window fill the wide network
        List<Entry> stored = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            stored.add(entry(inWide(i, i, T0.plusSeconds(i))));
        }
        Map<Key, Row> rows = Map.of(new Key(SERVICE, WIDE), new Row(List.copyOf(stored), false));
        // within the window of 0's report, and also before the first of the 10 leaves the window: refused
        assertEquals(Verdict.WIDE_NETWORK_LIMIT, dedup.decide(List.of(inWide(0, 0, T0.plusSeconds(600))), rows).verdicts()[0]);
        assertEquals(Verdict.WIDE_NETWORK_LIMIT,
                dedup.decide(List.of(inWide(0, 0, T0.plus(Duration.ofMinutes(30)).minusMillis(1))), rows).verdicts()[0]);
        // once 0's window has passed, 0 may count again, and so may anyone once the first of the 10 left it
        assertEquals(Verdict.COUNTED,
                dedup.decide(List.of(inWide(0, 0, T0.plus(Duration.ofMinutes(30)).plusSeconds(1))), rows).verdicts()[0]);
    }
}
