package org.downwatch.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which reports of a batch count: not the same person within the window, at most {@code perNetwork}
 * counted reports per (service, address network: IPv4 address, IPv6 /64) and at most {@code perWide} per
 * (service, wide network: IPv4 /24, IPv6 /48) within the window, decided in arrival order. Plain Java on
 * the state of the network rows ({@code report_network}, address and wide networks alike) that
 * {@link ReportWriter} locked and read.
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

    /** One counted report of a network: whose (keyed hash) and when (epoch milliseconds). */
    record Entry(byte[] reporter, long at) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.at == at && Arrays.equals(e.reporter, reporter);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(at) * 31 + Arrays.hashCode(reporter);
        }
    }

    /**
     * A locked network row: what it holds ({@code stored}), and its state before the batch: the stored
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

    static Key network(Submission s) {
        return new Key(s.serviceId(), s.network());
    }

    static Key wide(Submission s) {
        return new Key(s.serviceId(), s.wide());
    }

    /**
     * The positions of the reports that are the first of the batch both of their (service, network) and of
     * their (service, wide network): the candidates of the one-statement path, whose rows are then touched
     * once each by that statement.
     */
    static List<Integer> firstOfEachNetwork(List<Submission> batch) {
        List<Integer> first = new ArrayList<>(batch.size());
        Set<Key> seen = new HashSet<>();
        Set<Key> seenWide = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            boolean newNetwork = seen.add(network(batch.get(i)));
            boolean newWide = seenWide.add(wide(batch.get(i)));
            if (newNetwork && newWide) {
                first.add(i);
            }
        }
        return first;
    }

    /**
     * The rows a batch reads, each with the entry it is created with when missing: the first report of
     * the batch from that network, which always counts (a network with no row has no recent report), so
     * that in the usual case the row needs no second write. Tomorrow's network key holds tomorrow's reporter key.
     */
    static TreeMap<Key, List<Entry>> provisional(List<Submission> batch) {
        TreeMap<Key, List<Entry>> rows = new TreeMap<>();
        for (Submission s : batch) {
            long t = s.receivedAt().toEpochMilli();
            rows.putIfAbsent(network(s), List.of(new Entry(s.reporter(), t)));
            rows.putIfAbsent(wide(s), List.of(new Entry(s.reporter(), t)));
            if (s.networkNext() != null) {
                rows.putIfAbsent(new Key(s.serviceId(), s.networkNext()), List.of(new Entry(s.reporterNext(), t)));
            }
            if (s.wideNext() != null) {
                rows.putIfAbsent(new Key(s.serviceId(), s.wideNext()), List.of(new Entry(s.reporterNext(), t)));
            }
        }
        return rows;
    }

    /**
     * Decides the batch in arrival order against the rows' state before it. A person's address lies in
     * one network; if the person's entry was pushed out by N newer ones, the cap refuses anyway. The wide
     * network's cap is checked after the person and the address network.
     * <p>
     * A stored wide row may hold an entry of a report of this very batch (same reporter, same millisecond):
     * the one-statement path appended it, then found the address network's row taken (by another
     * transaction, or by the same person's earlier report) and left the report to this path. That entry is
     * not a counted report: it is dropped before deciding.
     */
    Decisions decide(List<Submission> batch, Map<Key, Row> rows) {
        Map<Key, List<Entry>> after = new HashMap<>();
        for (Submission s : batch) {
            Key wide = wide(s);
            Row row = rows.get(wide);
            Entry own = new Entry(s.reporter(), s.receivedAt().toEpochMilli());
            if (row != null && !row.created()) {
                List<Entry> now = current(after, rows, wide);
                if (now.contains(own)) {
                    List<Entry> without = new ArrayList<>(now);
                    without.remove(own);
                    after.put(wide, List.copyOf(without));
                }
            }
        }
        Verdict[] verdicts = new Verdict[batch.size()];
        List<Submission> counted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i);
            long t = s.receivedAt().toEpochMilli();
            Key network = network(s);
            int recent = 0;
            boolean samePerson = false;
            for (Entry e : current(after, rows, network)) {
                if (e.at() > t - windowMillis) {
                    recent++;
                    samePerson |= Arrays.equals(e.reporter(), s.reporter());
                }
            }
            if (samePerson || recent >= perNetwork) {
                verdicts[i] = samePerson ? Verdict.DUPLICATE : Verdict.NETWORK_LIMIT;
                continue;
            }
            Key wide = wide(s);
            int recentWide = 0;
            for (Entry e : current(after, rows, wide)) {
                if (e.at() > t - windowMillis) {
                    recentWide++;
                }
            }
            if (recentWide >= perWide) {
                verdicts[i] = Verdict.WIDE_NETWORK_LIMIT;
                continue;
            }
            verdicts[i] = Verdict.COUNTED;
            counted.add(s);
            record(after, rows, network, new Entry(s.reporter(), t), perNetwork);
            record(after, rows, wide, new Entry(s.reporter(), t), perWide);
            if (s.networkNext() != null) {
                record(after, rows, new Key(s.serviceId(), s.networkNext()), new Entry(s.reporterNext(), t), perNetwork);
            }
            if (s.wideNext() != null) {
                record(after, rows, new Key(s.serviceId(), s.wideNext()), new Entry(s.reporterNext(), t), perWide);
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

    /** Adds a counted report to a network's entries, keeping the {@code keep} most recent (oldest first). */
    private static void record(Map<Key, List<Entry>> after, Map<Key, Row> rows, Key key, Entry entry, int keep) {
        List<Entry> entries = new ArrayList<>(current(after, rows, key));
        entries.add(entry);
        entries.sort((a, b) -> Long.compare(a.at(), b.at()));
        after.put(key, List.copyOf(entries.subList(Math.max(0, entries.size() - keep), entries.size())));
    }
}
