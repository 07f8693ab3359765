package org.downwatch.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which reports of a batch count: not the same person within the window, at most {@code perNetwork}
 * counted reports per (service, address network: IPv4 address, IPv6 /64) and at most {@code perWide} per
 * (service, wide network: IPv4 /24, IPv6 /48) within the window, decided in arrival order. Plain Java on
 * the state of the wide networks' rows ({@code report_network}) that {@link ReportWriter} locked and read.
 * <p>
 * One row per (service, wide network) decides all three rules: it keeps the {@code perWide} most recent
 * counted reports of the wide network, each with its reporter and its address network. An address network
 * (and so a person) lies in exactly one wide network, so its recent reports are among the row's entries,
 * unless newer ones pushed them out; but then {@code perWide} reports newer than a report still within the
 * window are kept, all within the window, and the wide cap refuses anyway. The decision (counted or not) is
 * therefore exact; only the reason can change, from {@code duplicate} to {@code network-limit}, for a person
 * whose entry was pushed out by a full wide network.
 */
final class Deduplication {

    /** Why a report counts or not; {@link #reason()} is what the API answers. */
    enum Verdict {
        COUNTED(null), DUPLICATE("duplicate"), NETWORK_LIMIT("network-limit"),
        /** The wide network (/24, /48) is full: the API says {@code network-limit} as for the address network. */
        WIDE_NETWORK_LIMIT("network-limit");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** Null when counted. */
        String reason() {
            return reason;
        }
    }

    /**
     * A row key: service and hash, ordered like bytea (unsigned bytes). The hash bytes themselves, not a
     * String copy of them: building strings was a sixth of the flusher's CPU (ingest profile).
     */
    static final class Key implements Comparable<Key> {
        private final int service;
        private final byte[] hash;
        private final int hashCode;

        Key(int service, byte[] hash) {
            this.service = service;
            this.hash = hash;
            this.hashCode = 31 * service + Arrays.hashCode(hash);
        }

        int service() {
            return service;
        }

        byte[] bytes() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.service == service && Arrays.equals(k.hash, hash);
        }

        @Override
        public int hashCode() {
            return hashCode;
        }

        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(service, o.service);
            return c != 0 ? c : Arrays.compareUnsigned(hash, o.hash);
        }
    }

    /** One counted report of a wide network: whose (keyed hash), from which address network (keyed hash), when (epoch ms). */
    record Entry(byte[] reporter, byte[] network, long at) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.at == at && Arrays.equals(e.reporter, reporter) && Arrays.equals(e.network, network);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(at) * 31 + Arrays.hashCode(reporter)) * 31 + Arrays.hashCode(network);
        }

        @Override
        public String toString() {
            return "Entry[" + HexFormat.of().formatHex(reporter) + "@" + HexFormat.of().formatHex(network) + ", " + at + "]";
        }
    }

    /**
     * A locked wide network row: what it holds ({@code stored}), and its state before the batch: the stored
     * entries, or none when the batch just created it (a created row holds its provisional entry).
     */
    record Row(List<Entry> stored, boolean created) {
        List<Entry> before() {
            return created ? List.of() : stored;
        }
    }

    /** The verdicts in arrival order, the counted submissions, and the rows to rewrite (in key order). */
    record Decisions(Verdict[] verdicts, List<Submission> counted, TreeMap<Key, List<Entry>> changed) {
    }

    private final long windowMillis;
    private final int perNetwork;
    private final int perWide;

    Deduplication(Duration window, int perNetwork, int perWide) {
        this.windowMillis = window.toMillis();
        this.perNetwork = perNetwork;
        this.perWide = perWide;
    }

    static Key wide(Submission s) {
        return new Key(s.serviceId(), s.wide());
    }

    /**
     * The positions of the reports that are the first of the batch to touch their (service, wide network)
     * row, today's or, near midnight, tomorrow's: the candidates of the one-statement path, whose rows are
     * then touched once each by that statement. (A report just before midnight writes tomorrow's row of its
     * wide network, which is the row of a report of the same network just after midnight.)
     */
    static List<Integer> firstOfEachWideNetwork(List<Submission> batch) {
        List<Integer> first = new ArrayList<>(batch.size());
        Set<Key> seen = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i);
            boolean fresh = seen.add(wide(s));
            if (s.wideNext() != null) {
                fresh &= seen.add(new Key(s.serviceId(), s.wideNext()));
            }
            if (fresh) {
                first.add(i);
            }
        }
        return first;
    }

    /**
     * The rows a batch reads, each with the entry it is created with when missing: the first report of
     * the batch from that wide network, which always counts (a wide network with no row has no recent
     * report), so that in the usual case the row needs no second write. Tomorrow's key holds tomorrow's hashes.
     */
    static TreeMap<Key, List<Entry>> provisional(List<Submission> batch) {
        TreeMap<Key, List<Entry>> rows = new TreeMap<>();
        for (Submission s : batch) {
            long t = s.receivedAt().toEpochMilli();
            rows.putIfAbsent(wide(s), List.of(new Entry(s.reporter(), s.network(), t)));
            if (s.wideNext() != null) {
                rows.putIfAbsent(new Key(s.serviceId(), s.wideNext()), List.of(new Entry(s.reporterNext(), s.networkNext(), t)));
            }
        }
        return rows;
    }

    /**
     * Decides the batch in arrival order against the rows' state before it: the same person first, then
     * the address network's cap, then the wide network's, all from the wide network's entries.
     */
    Decisions decide(List<Submission> batch, Map<Key, Row> rows) {
        Map<Key, List<Entry>> after = new HashMap<>();
        Verdict[] verdicts = new Verdict[batch.size()];
        List<Submission> counted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i);
            long t = s.receivedAt().toEpochMilli();
            Key wide = wide(s);
            int recent = 0;
            int recentNetwork = 0;
            boolean samePerson = false;
            for (Entry e : current(after, rows, wide)) {
                if (e.at() > t - windowMillis) {
                    recent++;
                    if (Arrays.equals(e.network(), s.network())) {
                        recentNetwork++;
                    }
                    samePerson |= Arrays.equals(e.reporter(), s.reporter());
                }
            }
            if (samePerson) {
                verdicts[i] = Verdict.DUPLICATE;
            } else if (recentNetwork >= perNetwork) {
                verdicts[i] = Verdict.NETWORK_LIMIT;
            } else if (recent >= perWide) {
                verdicts[i] = Verdict.WIDE_NETWORK_LIMIT;
            } else {
                verdicts[i] = Verdict.COUNTED;
                counted.add(s);
                record(after, rows, wide, new Entry(s.reporter(), s.network(), t), perWide);
                if (s.wideNext() != null) {
                    record(after, rows, new Key(s.serviceId(), s.wideNext()), new Entry(s.reporterNext(), s.networkNext(), t), perWide);
                }
            }
        }
        // the rows whose content must change: created but not counted as provisioned, or counted again
        TreeMap<Key, List<Entry>> changed = new TreeMap<>();
        for (Map.Entry<Key, Row> e : rows.entrySet()) {
            List<Entry> value = after.getOrDefault(e.getKey(), e.getValue().before());
            if (!value.equals(e.getValue().stored())) {
                changed.put(e.getKey(), value);
            }
        }
        return new Decisions(verdicts, counted, changed);
    }

    private static List<Entry> current(Map<Key, List<Entry>> after, Map<Key, Row> rows, Key key) {
        List<Entry> now = after.get(key);
        if (now != null) {
            return now;
        }
        Row row = rows.get(key);
        return row == null ? List.of() : row.before();
    }

    /** Adds a counted report to a wide network's entries, keeping the {@code keep} most recent (oldest first). */
    private static void record(Map<Key, List<Entry>> after, Map<Key, Row> rows, Key key, Entry entry, int keep) {
        List<Entry> entries = new ArrayList<>(current(after, rows, key));
        entries.add(entry);
        entries.sort((a, b) -> Long.compare(a.at(), b.at()));
        after.put(key, List.copyOf(entries.subList(Math.max(0, entries.size() - keep), entries.size())));
    }
}
