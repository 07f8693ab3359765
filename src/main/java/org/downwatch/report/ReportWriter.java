package org.downwatch.report;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.downwatch.report.Deduplication.Entry;
import org.downwatch.report.Deduplication.Key;
import org.downwatch.report.Deduplication.Row;
import org.downwatch.report.Deduplication.Verdict;
import org.jboss.logging.Logger;

/**
 * Writes a batch of reports: {@code report}, its per-minute count in {@code report_minute}, the sketch of
 * the minute's distinct wide networks in {@code report_minute_network}, and the de-duplication rows of
 * {@code report_network} (per service and wide network, who its N most recent counted reports came from, from
 * which address network, and when: one row decides all three rules, see {@link Deduplication}), each step in
 * one transaction, answered only once committed.
 * <p>
 * Plain JDBC through the Agroal datasource on purpose: this is the hot path, and array parameters
 * ({@code unnest}) let a few statements carry a whole batch whatever its size, where Hibernate would
 * send one insert per report and one upsert per minute row. Rows are locked in key order, so that
 * several flushers and several instances cannot deadlock (a deadlock would still be retried once).
 * Several instances stay correct because every decision is made on rows locked in the same transaction.
 * "It works for me" signals ({@link Submission#works()}, problem type 0) ride in the same batches and
 * statements: de-duplicated the same way (their own network rows), they are added to {@code works_minute}
 * only, never to {@code report}, {@code report_minute} or the sketch {@code report_minute_network}, which
 * detection reads; they are answered with id 0.
 * One known gap: within the last window before UTC midnight, two instances writing the same new
 * person's today-key and tomorrow-key rows in the same millisecond could both count (the keys differ).
 */
@ApplicationScoped
class ReportWriter {

    private static final Logger LOG = Logger.getLogger(ReportWriter.class);

    /** Where the outcomes go, by position in the batch, as soon as their transaction committed. */
    interface Answers {
        void answer(int index, Submission.Outcome outcome);

        /** The database failed: these reports are not saved. */
        void unavailable(List<Integer> indexes);
    }

    /** Beyond the statement timeout, so that the server's cancellation (a clean 57014) comes first when it can. */
    static final int SOCKET_TIMEOUT_MARGIN_MILLIS = 5_000;

    private final AgroalDataSource dataSource;
    private final Deduplication deduplication;
    private final int perNetwork;
    private final int perWide;
    private final long windowMillis;
    private final int statementTimeoutSeconds;
    private final int socketTimeoutMillis;
    private final Timer lockTimer;
    private final Timer writeTimer;

    ReportWriter(AgroalDataSource dataSource, ReportConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.deduplication = new Deduplication(config.window(), config.perNetwork(), config.perWideNetwork());
        this.perNetwork = config.perNetwork();
        this.perWide = config.perWideNetwork();
        this.windowMillis = config.window().toMillis();
        this.statementTimeoutSeconds = (int) Math.max(1, config.timeout().toSeconds());
        // the JDBC socket timeout of a batch's connection: the statement timeout is sent to the server and
        // does nothing when the server (or the network) stops answering; this frees the flusher anyway
        this.socketTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis() + SOCKET_TIMEOUT_MARGIN_MILLIS);
        this.lockTimer = Timer.builder("downwatch.report.flush.lock").description("Report batches: locking and reading the de-duplication rows")
                .register(metrics);
        this.writeTimer = Timer.builder("downwatch.report.flush.write").description("Report batches: writing and committing")
                .register(metrics);
    }

    /**
     * Commits a batch in two steps. First the usual case, in one round trip: the first report of each
     * (service, wide network) of the batch counts when its wide network's row (created if missing) says so:
     * not the same person, room in its address network and in its wide network within the window; its row,
     * the report and its per-minute counts are written and committed together ({@link #writeFresh}). The
     * others (refused there, or a wide network seen before in the batch) then go through the general path
     * ({@link #write}), in arrival order, in a second transaction that sees the first one's rows.
     */
    void flush(List<Submission> batch, Answers answers) {
        List<Integer> candidates = Deduplication.firstOfEachWideNetwork(batch);
        Submission.Outcome[] fresh = transact(pick(batch, candidates), this::writeFresh);
        if (fresh == null) {
            answers.unavailable(range(batch.size()));
            return;
        }
        boolean[] decided = new boolean[batch.size()];
        for (int k = 0; k < fresh.length; k++) {
            if (fresh[k] != null) {
                answers.answer(candidates.get(k), fresh[k]);
                decided[candidates.get(k)] = true;
            }
        }
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!decided[i]) {
                rest.add(i);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        Submission.Outcome[] outcomes = transact(pick(batch, rest), this::write);
        if (outcomes == null) {
            answers.unavailable(rest);
            return;
        }
        for (int k = 0; k < outcomes.length; k++) {
            answers.answer(rest.get(k), outcomes[k]);
        }
    }

    private static List<Submission> pick(List<Submission> batch, List<Integer> indexes) {
        List<Submission> picked = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            picked.add(batch.get(i));
        }
        return picked;
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private interface Step {
        Submission.Outcome[] write(Connection c, List<Submission> batch) throws SQLException;
    }

    /** Runs one transaction (retried once after a deadlock); null when the database failed. */
    private Submission.Outcome[] transact(List<Submission> batch, Step step) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                int networkTimeout = c.getNetworkTimeout();
                c.setNetworkTimeout(Runnable::run, socketTimeoutMillis);
                c.setAutoCommit(false);
                try {
                    Submission.Outcome[] outcomes = step.write(c, batch);
                    c.commit();
                    c.setNetworkTimeout(Runnable::run, networkTimeout);
                    return outcomes;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                        c.setNetworkTimeout(Runnable::run, networkTimeout);
                    } catch (SQLException ignored) {
                        // the connection is gone: the pool will drop it
                    }
                    throw e;
                }
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (attempt == 1 && retried(state)) {
                    continue;
                }
                // The message names tables or the server, never an address: hashes only reach the database.
                LOG.warnf("Reports not saved (%d waiting requests answered 503): %s [%s]", batch.size(), e.getMessage(), state);
                if (connectionLost(state)) {
                    dataSource.flush(AgroalDataSource.FlushMode.INVALID);
                }
                return null;
            }
        }
    }

    /** A deadlock or a serialization failure: the whole batch is tried once more. */
    static boolean retried(String sqlState) {
        return sqlState.equals("40P01") || sqlState.equals("40001");
    }

    /** A lost connection, a server shutting down or out of resources (or no state at all): the pool's idle connections are dropped. */
    static boolean connectionLost(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57") || sqlState.startsWith("53") || sqlState.isEmpty();
    }

    /**
     * The sketch of the distinct wide networks of each (service, minute) of the counted reports {@code x}
     * (bit {@code nb} of four bigints), OR-ed into {@code report_minute_network}; rows in key order.
     */
    private static final String MINUTE_NETWORKS = """
                insert into report_minute_network as m (service_id, minute, b0, b1, b2, b3)
                select s, date_trunc('minute', timestamptz 'epoch' + t * interval '1 millisecond', 'UTC'),
                    coalesce(bit_or(1::bigint << nb) filter (where nb < 64), 0),
                    coalesce(bit_or(1::bigint << (nb - 64)) filter (where nb >= 64 and nb < 128), 0),
                    coalesce(bit_or(1::bigint << (nb - 128)) filter (where nb >= 128 and nb < 192), 0),
                    coalesce(bit_or(1::bigint << (nb - 192)) filter (where nb >= 192), 0)
                from %s group by 1, 2 order by 1, 2
                on conflict (service_id, minute) do update
                set b0 = m.b0 | excluded.b0, b1 = m.b1 | excluded.b1, b2 = m.b2 | excluded.b2, b3 = m.b3 | excluded.b3
            """;

    /**
     * The usual case in one statement, sent with its COMMIT: append the report to its wide network's row
     * (created if missing) when that row's entries within the window hold neither the same person nor
     * {@code perNetwork} reports of its address network nor {@code perWide} reports in all (the N most recent
     * kept), and for exactly those reports: tomorrow's row when near midnight (the entry appended, the N most
     * recent kept), the report, its per-minute count and sketch. A refused report leaves its row as it was
     * and goes to the general path, which says why. Rows in key order per table part.
     */
    private static final String WRITE_FRESH = """
            with x as (
                select * from unnest(?::integer[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::bytea[], ?::integer[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[])
                    as x(s, p, t, country, city, postcode, source, h, nb, n, hn, nn, w, wn)
            ), wide as (
                insert into report_network as r (service_id, network_hash, reporter_hash, address_network, counted_at_ms)
                select s, w, array[h], array[n], array[t] from x order by s, w
                on conflict (service_id, network_hash) do update
                set reporter_hash = (r.reporter_hash || excluded.reporter_hash)[greatest(1, cardinality(r.reporter_hash) + 2 - ?):],
                    address_network = (r.address_network || excluded.address_network)[greatest(1, cardinality(r.address_network) + 2 - ?):],
                    counted_at_ms = (r.counted_at_ms || excluded.counted_at_ms)[greatest(1, cardinality(r.counted_at_ms) + 2 - ?):]
                where (select count(*) < ? and count(*) filter (where e.n = excluded.address_network[1]) < ?
                            and not coalesce(bool_or(e.h = excluded.reporter_hash[1]), false)
                       from unnest(r.counted_at_ms, r.address_network, r.reporter_hash) as e(t, n, h)
                       where e.t > excluded.counted_at_ms[1] - ?)
                returning service_id, network_hash
            ), won as (
                select x.* from x join wide on wide.service_id = x.s and wide.network_hash = x.w
            ), tomorrow as (
                insert into report_network as r (service_id, network_hash, reporter_hash, address_network, counted_at_ms)
                select s, wn, array[hn], array[nn], array[t] from won where wn is not null order by s, wn
                on conflict (service_id, network_hash) do update
                set reporter_hash = (r.reporter_hash || excluded.reporter_hash)[greatest(1, cardinality(r.reporter_hash) + 2 - ?):],
                    address_network = (r.address_network || excluded.address_network)[greatest(1, cardinality(r.address_network) + 2 - ?):],
                    counted_at_ms = (r.counted_at_ms || excluded.counted_at_ms)[greatest(1, cardinality(r.counted_at_ms) + 2 - ?):]
            ), ins as (
                insert into report (id, service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select nextval('report_id_seq'), s, p, timestamptz 'epoch' + t * interval '1 millisecond',
                    country, city, postcode, source, h from won where p <> 0
                returning id, service_id, reporter_hash
            ), m as (
                insert into report_minute as m (service_id, problem_type_id, minute, count)
                select s, p, date_trunc('minute', timestamptz 'epoch' + t * interval '1 millisecond', 'UTC'), count(*) from won
                where p <> 0
                group by 1, 2, 3 order by 1, 3, 2
                on conflict (service_id, minute, problem_type_id) do update set count = m.count + excluded.count
            ), nm as (""" + MINUTE_NETWORKS.formatted("(select * from won where p <> 0) as won") + """
            ), w as (
                insert into works_minute as w (service_id, minute, count)
                select s, date_trunc('minute', timestamptz 'epoch' + t * interval '1 millisecond', 'UTC'), count(*) from won
                where p = 0
                group by 1, 2 order by 1, 2
                on conflict (service_id, minute) do update set count = w.count + excluded.count
            )
            select id, service_id, reporter_hash from ins
            union all select 0, s, h from won where p = 0;
            commit
            """;

    /** Outcomes of the reports counted by {@link #WRITE_FRESH}; null for the others (not decided yet). */
    private Submission.Outcome[] writeFresh(Connection c, List<Submission> batch) throws SQLException {
        Map<Key, Long> ids;
        try (PreparedStatement st = c.prepareStatement(WRITE_FRESH)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            int next = ReportArrays.reports(c, batch, true).bind(st, 1);
            st.setInt(next, perWide);
            st.setInt(next + 1, perWide);
            st.setInt(next + 2, perWide);
            st.setInt(next + 3, perWide);
            st.setInt(next + 4, perNetwork);
            st.setLong(next + 5, windowMillis);
            st.setInt(next + 6, perWide);
            st.setInt(next + 7, perWide);
            st.setInt(next + 8, perWide);
            ids = executeForIds(st, batch.size());
        }
        Submission.Outcome[] outcomes = new Submission.Outcome[batch.size()];
        for (int i = 0; i < outcomes.length; i++) {
            Submission x = batch.get(i);
            Long id = ids.get(new Key(x.serviceId(), x.reporter()));
            outcomes[i] = id == null ? null : Submission.Outcome.counted(id);
        }
        return outcomes;
    }

    /** Locks the batch's wide network rows, decides ({@link Deduplication}), writes what changed and the counted reports. */
    private Submission.Outcome[] write(Connection c, List<Submission> batch) throws SQLException {
        long start = System.nanoTime();
        Map<Key, Row> rows = lock(c, Deduplication.provisional(batch));
        lockTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);

        Deduplication.Decisions d = deduplication.decide(batch, rows);
        Submission.Outcome[] outcomes = new Submission.Outcome[batch.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = d.verdicts()[i] == Verdict.COUNTED ? null : Submission.Outcome.refused(d.verdicts()[i]);
        }
        if (d.counted().isEmpty() && d.changed().isEmpty()) {
            return outcomes;
        }
        start = System.nanoTime();
        Map<Key, Long> ids = writeCounted(c, d.changed(), d.counted());
        writeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                Submission s = batch.get(i);
                outcomes[i] = Submission.Outcome.counted(ids.get(new Key(s.serviceId(), s.reporter())));
            }
        }
        return outcomes;
    }

    /**
     * One round trip: inserts the missing rows (with their provisional entry) and locks the existing ones
     * (a no-op update is what locks and returns them), in key order. {@code xmax = 0} tells created rows.
     */
    private static final String LOCK = """
            insert into report_network as n (service_id, network_hash, reporter_hash, address_network, counted_at_ms)
            select s, h, array[r], array[a], array[t]
            from unnest(?::integer[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bigint[]) as u(s, h, r, a, t)
            on conflict (service_id, network_hash) do update set counted_at_ms = n.counted_at_ms
            returning service_id, network_hash, reporter_hash, address_network, counted_at_ms, xmax = 0
            """;

    private Map<Key, Row> lock(Connection c, TreeMap<Key, List<Entry>> provisional) throws SQLException {
        Map<Key, Row> rows = new HashMap<>(provisional.size() * 2);
        try (PreparedStatement st = c.prepareStatement(LOCK)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            ReportArrays.entries(c, provisional).bind(st, 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byte[][] who = (byte[][]) rs.getArray(3).getArray();
                    byte[][] where = (byte[][]) rs.getArray(4).getArray();
                    Long[] when = (Long[]) rs.getArray(5).getArray();
                    List<Entry> entries = new ArrayList<>(who.length);
                    for (int k = 0; k < who.length; k++) {
                        entries.add(new Entry(who[k], where[k], when[k]));
                    }
                    rows.put(new Key(rs.getInt(1), rs.getBytes(2)), new Row(List.copyOf(entries), rs.getBoolean(6)));
                }
            }
        }
        return rows;
    }

    /**
     * The changed network rows, the counted reports and their per-minute counts, then COMMIT in the same
     * round trip (pgjdbc sends both statements together; its {@code commit()} is then a no-op, the
     * transaction being over). The ids come back from the insert. Times travel as epoch milliseconds.
     */
    private static final String WRITE_COUNTED = """
            with un as (
                update report_network n set reporter_hash = u.r, address_network = u.a, counted_at_ms = u.t
                from (select s, h, array_agg(r order by i) as r, array_agg(a order by i) as a, array_agg(t order by i) as t
                      from unnest(?::integer[], ?::bytea[], ?::bytea[], ?::bytea[], ?::bigint[]) with ordinality as e(s, h, r, a, t, i)
                      group by s, h) as u
                where n.service_id = u.s and n.network_hash = u.h
            ), x as (
                select s, p, timestamptz 'epoch' + t * interval '1 millisecond' as t, t as ms, country, city, postcode, source, h, nb
                from unnest(?::integer[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[],
                        ?::integer[]) as x(s, p, t, country, city, postcode, source, h, nb)
            ), ins as (
                insert into report (id, service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select nextval('report_id_seq'), s, p, t, country, city, postcode, source, h from x where p <> 0
                returning id, service_id, reporter_hash
            ), m as (
                insert into report_minute as m (service_id, problem_type_id, minute, count)
                select s, p, date_trunc('minute', t, 'UTC'), count(*) from x where p <> 0
                group by 1, 2, 3 order by 1, 3, 2
                on conflict (service_id, minute, problem_type_id) do update set count = m.count + excluded.count
            ), nm as (""" + MINUTE_NETWORKS.formatted("(select s, ms as t, nb from x where p <> 0) as c") + """
            ), w as (
                insert into works_minute as w (service_id, minute, count)
                select s, date_trunc('minute', t, 'UTC'), count(*) from x where p = 0
                group by 1, 2 order by 1, 2
                on conflict (service_id, minute) do update set count = w.count + excluded.count
            )
            select id, service_id, reporter_hash from ins
            union all select 0, s, h from x where p = 0;
            commit
            """;

    private Map<Key, Long> writeCounted(Connection c, TreeMap<Key, List<Entry>> changed, List<Submission> counted)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(WRITE_COUNTED)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            int next = ReportArrays.entries(c, changed).bind(st, 1);
            ReportArrays.reports(c, counted, false).bind(st, next);
            Map<Key, Long> ids = executeForIds(st, counted.size());
            if (ids.size() != counted.size()) {
                throw new SQLException("Inserted " + ids.size() + " reports instead of " + counted.size(), "XX000");
            }
            return ids;
        }
    }

    /** Runs a statement returning (id, service, reporter hash) of inserted reports. */
    private static Map<Key, Long> executeForIds(PreparedStatement st, int expected) throws SQLException {
        Map<Key, Long> ids = new HashMap<>(expected * 2);
        st.execute();
        try (ResultSet r = st.getResultSet()) {
            while (r.next()) {
                ids.put(new Key(r.getInt(2), r.getBytes(3)), r.getLong(1));
            }
        }
        return ids;
    }
}
