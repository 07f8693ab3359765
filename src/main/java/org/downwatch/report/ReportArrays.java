package org.downwatch.report;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.downwatch.report.Deduplication.Entry;
import org.downwatch.report.Deduplication.Key;

/**
 * Array parameters of {@link ReportWriter}'s statements: a batch's columns, one array each, which
 * {@code unnest} turns back into rows, so that one statement carries a whole batch whatever its size.
 */
final class ReportArrays {

    private final Array[] arrays;

    private ReportArrays(Array[] arrays) {
        this.arrays = arrays;
    }

    /** Binds the arrays from parameter {@code first} on; returns the next parameter's index. */
    int bind(PreparedStatement st, int first) throws SQLException {
        for (int k = 0; k < arrays.length; k++) {
            st.setArray(first + k, arrays[k]);
        }
        return first + arrays.length;
    }

    /**
     * Service, problem type, time (epoch ms), country, city, postcode, source, reporter hash, the wide
     * network's bit in the per-minute sketch; with {@code networks}, also the address network's hash, tomorrow's
     * reporter and address network hashes, the wide network's hash and tomorrow's.
     */
    static ReportArrays reports(Connection c, List<Submission> batch, boolean networks) throws SQLException {
        int n = batch.size();
        Integer[] s = new Integer[n];
        Integer[] p = new Integer[n];
        Long[] t = new Long[n];
        String[] country = new String[n];
        String[] city = new String[n];
        String[] postcode = new String[n];
        String[] source = new String[n];
        byte[][] h = new byte[n][];
        byte[][] net = new byte[n][];
        byte[][] hn = new byte[n][];
        byte[][] nn = new byte[n][];
        byte[][] w = new byte[n][];
        byte[][] wn = new byte[n][];
        Integer[] nb = new Integer[n];
        for (int i = 0; i < n; i++) {
            Submission x = batch.get(i);
            s[i] = x.serviceId();
            p[i] = x.problemTypeId();
            t[i] = x.receivedAt().toEpochMilli();
            country[i] = x.country();
            city[i] = x.city();
            postcode[i] = x.postcode();
            source[i] = x.source();
            h[i] = x.reporter();
            net[i] = x.network();
            hn[i] = x.reporterNext();
            nn[i] = x.networkNext();
            w[i] = x.wide();
            wn[i] = x.wideNext();
            nb[i] = x.networkBit();
        }
        List<Array> arrays = new ArrayList<>(List.of(c.createArrayOf("integer", s), c.createArrayOf("integer", p),
                c.createArrayOf("bigint", t), c.createArrayOf("text", country), c.createArrayOf("text", city),
                c.createArrayOf("text", postcode), c.createArrayOf("text", source), c.createArrayOf("bytea", h),
                c.createArrayOf("integer", nb)));
        if (networks) {
            arrays.addAll(List.of(c.createArrayOf("bytea", net), c.createArrayOf("bytea", hn), c.createArrayOf("bytea", nn),
                    c.createArrayOf("bytea", w), c.createArrayOf("bytea", wn)));
        }
        return new ReportArrays(arrays.toArray(Array[]::new));
    }

    /**
     * Wide network rows flattened, one element per entry: service, wide network hash, reporter hash, address
     * network hash, time (epoch ms). A row without entries would vanish from the statements' aggregate: it is
     * sent as one entry counted at the epoch, which no window reaches.
     */
    static ReportArrays entries(Connection c, Map<Key, List<Entry>> rows) throws SQLException {
        List<Integer> s = new ArrayList<>();
        List<byte[]> h = new ArrayList<>();
        List<byte[]> r = new ArrayList<>();
        List<byte[]> n = new ArrayList<>();
        List<Long> t = new ArrayList<>();
        for (Map.Entry<Key, List<Entry>> row : rows.entrySet()) {
            List<Entry> entries = row.getValue().isEmpty() ? List.of(new Entry(new byte[0], new byte[0], 0L)) : row.getValue();
            for (Entry e : entries) {
                s.add(row.getKey().service());
                h.add(row.getKey().bytes());
                r.add(e.reporter());
                n.add(e.network());
                t.add(e.at());
            }
        }
        return new ReportArrays(new Array[] {c.createArrayOf("integer", s.toArray(Integer[]::new)),
                c.createArrayOf("bytea", h.toArray(byte[][]::new)), c.createArrayOf("bytea", r.toArray(byte[][]::new)),
                c.createArrayOf("bytea", n.toArray(byte[][]::new)), c.createArrayOf("bigint", t.toArray(Long[]::new))});
    }
}
