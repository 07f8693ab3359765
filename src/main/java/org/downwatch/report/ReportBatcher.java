package org.downwatch.report;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * Group commit of reports. Requests put their {@link Submission} in a bounded queue (full: 503 at once)
 * and wait, without holding a thread, for the future this returns. A few flusher threads each take
 * what is waiting (at once when idle, at most {@code batch-size}) and, in ONE transaction:
 * <ol>
 * <li>lock (creating when missing) the de-duplication rows of the reports' address networks
 * ({@code report_network}: per service and network, who its N most recent counted reports came from
 * and when) and read them, in one statement;</li>
 * <li>decide in arrival order which reports count (same person within the window, at most N per network);</li>
 * <li>in one statement: update the changed rows, insert the counted reports and add them to {@code report_minute}.</li>
 * </ol>
 * Two round trips per batch (lock and read; write and commit), whatever its size. Only after the commit is each request answered, so a 201 means report and per-minute count are durable.
 * When the database fails, every request of the batch gets a 503 and nothing is acknowledged.
 * <p>
 * Plain JDBC through the Agroal datasource on purpose: this is the hot path, and array parameters
 * ({@code unnest}) let three statements carry a whole batch whatever its size, where Hibernate would
 * send one insert per report and one upsert per minute row. Rows are locked in key order, so that
 * several flushers and several instances cannot deadlock (a deadlock would still be retried once).
 * Several instances stay correct because every decision is made on rows locked in the same transaction.
 * One known gap: within the last window before UTC midnight, two instances writing the same new
 * person's today-key and tomorrow-key rows in the same millisecond could both count (the keys differ).
 */
@ApplicationScoped
public class ReportBatcher {

    private static final Logger LOG = Logger.getLogger(ReportBatcher.class);
    static final int RETRY_AFTER_FULL = 2;
    static final int RETRY_AFTER_DOWN = 10;
    private static final Instant NEVER = Instant.EPOCH;

    private record Pending(Submission submission, CompletableFuture<Submission.Outcome> future, Context context) {
    }

    /**
     * A row key: service and hash, ordered like bytea (unsigned bytes). The hash bytes themselves, not a
     * String copy of them: building ISO-8859-1 strings was a sixth of the flusher's CPU (ingest profile).
     */
    private static final class Key implements Comparable<Key> {
        private final int service;
        private final byte[] hash;
        private final int hashCode;

        private Key(int service, byte[] hash) {
            this.service = service;
            this.hash = hash;
            this.hashCode = 31 * service + Arrays.hashCode(hash);
        }

        static Key of(int service, byte[] hash) {
            return new Key(service, hash);
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

    private final AgroalDataSource dataSource;
    private final ReportClock clock;
    private final Duration window;
    private final int perNetwork;
    private final int batchSize;
    private final int flusherCount;
    private final int statementTimeoutSeconds;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> flushers = new ArrayList<>();
    private volatile boolean running;
    private final Timer flushTimer;
    private final Timer lockTimer;
    private final Timer writeTimer;
    private final DistributionSummary batchSizes;

    ReportBatcher(AgroalDataSource dataSource, ReportClock clock, ReportConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.window = config.window();
        this.perNetwork = config.perNetwork();
        this.batchSize = config.batchSize();
        this.flusherCount = config.flushers();
        this.statementTimeoutSeconds = (int) Math.max(1, config.timeout().toSeconds());
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.flushTimer = Timer.builder("downwatch.report.flush").description("Report batches: one transaction each")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.lockTimer = Timer.builder("downwatch.report.flush.lock").description("Report batches: locking and reading the de-duplication rows")
                .register(metrics);
        this.writeTimer = Timer.builder("downwatch.report.flush.write").description("Report batches: writing and committing")
                .register(metrics);
        this.batchSizes = DistributionSummary.builder("downwatch.report.batch").description("Reports per batch")
                .publishPercentiles(0.5, 0.99).register(metrics);
        Gauge.builder("downwatch.report.queue", queue, BlockingQueue::size).description("Reports waiting for a batch")
                .register(metrics);
        if (window.compareTo(Duration.ofDays(1)) > 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("downwatch.report.window must be between 1 second and 1 day, not " + window);
        }
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < flusherCount; i++) {
            Thread t = new Thread(this::run, "report-flusher-" + i);
            t.start();
            flushers.add(t);
        }
    }

    /** Stops taking reports, and commits those already accepted before the application stops. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        for (Thread t : flushers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues the submission; the stage completes after its batch committed, or fails with a 503 problem. */
    CompletionStage<Submission.Outcome> submit(Submission submission) {
        CompletableFuture<Submission.Outcome> future = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(submission, future, Vertx.currentContext()))) {
            future.completeExceptionally(ProblemException.unavailable(
                    "Too many reports are waiting to be saved; please retry shortly", RETRY_AFTER_FULL));
        }
        return future;
    }

    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                batchSizes.record(batch.size());
                long start = System.nanoTime();
                flush(batch);
                flushTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Report batch failed", e);
                fail(batch, ProblemException.unavailable("Reports cannot be saved right now; please retry shortly", RETRY_AFTER_DOWN));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Commits a batch in two steps. First the usual case, in one round trip: the first report of each
     * (service, address network) of the batch whose network has no de-duplication row, i.e. no counted
     * report within the window, counts for sure; its row, the report and its per-minute count are written
     * and committed together ({@link #writeFresh}). The others (a network seen before, or seen twice in
     * the batch) then go through the general path ({@link #write}), in arrival order, in a second
     * transaction that sees the first one's rows.
     */
    private void flush(List<Pending> batch) {
        List<Pending> candidates = new ArrayList<>(batch.size());
        List<Integer> candidateIndexes = new ArrayList<>(batch.size());
        Set<Key> seen = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i).submission();
            if (seen.add(Key.of(s.serviceId(), s.network()))) {
                candidates.add(batch.get(i));
                candidateIndexes.add(i);
            }
        }
        Submission.Outcome[] fresh = transact(candidates, this::writeFresh);
        if (fresh == null) {
            fail(batch, unavailable());
            return;
        }
        boolean[] decided = new boolean[batch.size()];
        for (int k = 0; k < fresh.length; k++) {
            if (fresh[k] != null) {
                complete(candidates.get(k), fresh[k]);
                decided[candidateIndexes.get(k)] = true;
            }
        }
        List<Pending> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!decided[i]) {
                rest.add(batch.get(i));
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        Submission.Outcome[] outcomes = transact(rest, this::write);
        if (outcomes == null) {
            fail(rest, unavailable());
            return;
        }
        for (int i = 0; i < outcomes.length; i++) {
            complete(rest.get(i), outcomes[i]);
        }
    }

    private interface Step {
        Submission.Outcome[] write(Connection c, List<Pending> batch) throws SQLException;
    }

    private static ProblemException unavailable() {
        return ProblemException.unavailable("The database is unavailable; please retry shortly", RETRY_AFTER_DOWN);
    }

    /** Runs one transaction (retried once after a deadlock); null when the database failed. */
    private Submission.Outcome[] transact(List<Pending> batch, Step step) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Submission.Outcome[] outcomes = step.write(c, batch);
                    c.commit();
                    return outcomes;
                } catch (SQLException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is gone: the pool will drop it
                    }
                    throw e;
                }
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (attempt == 1 && (state.equals("40P01") || state.equals("40001"))) {
                    continue; // deadlock or serialization failure: retry the whole batch once
                }
                // The message names tables or the server, never an address: hashes only reach the database.
                LOG.warnf("Reports not saved (%d waiting requests answered 503): %s [%s]", batch.size(), e.getMessage(), state);
                if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53") || state.isEmpty()) {
                    dataSource.flush(AgroalDataSource.FlushMode.INVALID);
                }
                return null;
            }
        }
    }

    /**
     * The usual case in one statement, sent with its COMMIT: create the rows of networks that have none
     * ({@code on conflict do nothing}: a network with a row, or one another transaction is creating, is
     * left to the general path), and for exactly those reports: tomorrow's row when near midnight (the
     * entry appended, the N most recent kept), the report and its per-minute count. Rows in key order.
     */
    private static final String WRITE_FRESH = """
            with x as (
                select * from unnest(?::integer[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::bytea[], ?::bytea[], ?::bytea[], ?::bytea[])
                    as x(s, p, t, country, city, postcode, source, h, n, hn, nn)
            ), fresh as (
                insert into report_network (service_id, network_hash, reporter_hash, counted_at_ms)
                select s, n, array[h], array[t] from x order by s, n
                on conflict do nothing
                returning service_id, network_hash
            ), won as (
                select x.* from x join fresh f on f.service_id = x.s and f.network_hash = x.n
            ), tomorrow as (
                insert into report_network as r (service_id, network_hash, reporter_hash, counted_at_ms)
                select s, nn, array[hn], array[t] from won where nn is not null order by s, nn
                on conflict (service_id, network_hash) do update
                set reporter_hash = (r.reporter_hash || excluded.reporter_hash)[greatest(1, cardinality(r.reporter_hash) + 2 - ?):],
                    counted_at_ms = (r.counted_at_ms || excluded.counted_at_ms)[greatest(1, cardinality(r.counted_at_ms) + 2 - ?):]
            ), ins as (
                insert into report (id, service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select nextval('report_id_seq'), s, p, timestamptz 'epoch' + t * interval '1 millisecond',
                    country, city, postcode, source, h from won
                returning id, service_id, reporter_hash
            ), m as (
                insert into report_minute as m (service_id, problem_type_id, minute, count)
                select s, p, date_trunc('minute', timestamptz 'epoch' + t * interval '1 millisecond', 'UTC'), count(*) from won
                group by 1, 2, 3 order by 1, 3, 2
                on conflict (service_id, minute, problem_type_id) do update set count = m.count + excluded.count
            )
            select id, service_id, reporter_hash from ins;
            commit
            """;

    /** Outcomes of the reports counted by {@link #WRITE_FRESH}; null for the others (not decided yet). */
    private Submission.Outcome[] writeFresh(Connection c, List<Pending> batch) throws SQLException {
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
        for (int i = 0; i < n; i++) {
            Submission x = batch.get(i).submission();
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
        }
        Map<Key, Long> ids = new HashMap<>(n * 2);
        try (PreparedStatement st = c.prepareStatement(WRITE_FRESH)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            Array[] params = {c.createArrayOf("integer", s), c.createArrayOf("integer", p), c.createArrayOf("bigint", t),
                    c.createArrayOf("text", country), c.createArrayOf("text", city), c.createArrayOf("text", postcode),
                    c.createArrayOf("text", source), c.createArrayOf("bytea", h), c.createArrayOf("bytea", net),
                    c.createArrayOf("bytea", hn), c.createArrayOf("bytea", nn)};
            for (int k = 0; k < params.length; k++) {
                st.setArray(k + 1, params[k]);
            }
            st.setInt(params.length + 1, perNetwork);
            st.setInt(params.length + 2, perNetwork);
            st.execute();
            try (ResultSet r = st.getResultSet()) {
                while (r.next()) {
                    ids.put(Key.of(r.getInt(2), r.getBytes(3)), r.getLong(1));
                }
            }
        }
        Submission.Outcome[] outcomes = new Submission.Outcome[n];
        for (int i = 0; i < n; i++) {
            Submission x = batch.get(i).submission();
            Long id = ids.get(Key.of(x.serviceId(), x.reporter()));
            outcomes[i] = id == null ? null : new Submission.Outcome(true, id);
        }
        return outcomes;
    }

    /** One counted report of a network: whose (keyed hash) and when (epoch milliseconds). */
    private static final class Entry {
        final byte[] reporter;
        final long at;

        Entry(byte[] reporter, long at) {
            this.reporter = reporter;
            this.at = at;
        }

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
     * The network rows a batch touches: their state before the batch (empty for rows the batch created),
     * what the rows hold now (created rows hold their provisional state), and after the batch.
     */
    private static final class State {
        final TreeMap<Key, List<Entry>> before = new TreeMap<>();
        final Map<Key, List<Entry>> stored = new HashMap<>();
        final Map<Key, List<Entry>> after = new HashMap<>();

        List<Entry> current(Key key) {
            return after.getOrDefault(key, before.get(key));
        }

        /** The rows whose content must change, in key order: created but not counted as provisioned, or counted again. */
        TreeMap<Key, List<Entry>> changed() {
            TreeMap<Key, List<Entry>> changed = new TreeMap<>();
            for (Map.Entry<Key, List<Entry>> e : before.entrySet()) {
                List<Entry> value = after.getOrDefault(e.getKey(), e.getValue());
                if (!value.equals(stored.get(e.getKey()))) {
                    changed.put(e.getKey(), value);
                }
            }
            return changed;
        }
    }

    private Submission.Outcome[] write(Connection c, List<Pending> batch) throws SQLException {
        long windowMillis = window.toMillis();
        // 1. lock the rows of the address networks and read their state. Missing rows are created as if
        // the first report of the batch from that network counts, which it always does (a network with
        // no row has no recent report): in the usual case the row then needs no second write.
        TreeMap<Key, Submission> provisional = new TreeMap<>();
        for (Pending p : batch) {
            Submission s = p.submission();
            provisional.putIfAbsent(Key.of(s.serviceId(), s.network()), s);
            if (s.networkNext() != null) {
                provisional.putIfAbsent(Key.of(s.serviceId(), s.networkNext()), s);
            }
        }
        long start = System.nanoTime();
        State networks = lockState(c, provisional);
        lockTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);

        // 2. decide, in arrival order: not the same person within the window, and fewer than N counted
        // reports of the network within the window. A person's address lies in one network; if the
        // person's entry was pushed out by N newer ones, the cap refuses anyway.
        Submission.Outcome[] outcomes = new Submission.Outcome[batch.size()];
        List<Submission> counted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i).submission();
            long t = s.receivedAt().toEpochMilli();
            Key network = Key.of(s.serviceId(), s.network());
            int recent = 0;
            boolean samePerson = false;
            for (Entry e : networks.current(network)) {
                if (e.at > t - windowMillis) {
                    recent++;
                    samePerson |= Arrays.equals(e.reporter, s.reporter());
                }
            }
            if (samePerson || recent >= perNetwork) {
                outcomes[i] = new Submission.Outcome(false, 0);
                continue;
            }
            counted.add(s);
            record(networks, network, s.reporter(), t);
            if (s.networkNext() != null) {
                record(networks, Key.of(s.serviceId(), s.networkNext()), s.reporterNext(), t);
            }
        }
        TreeMap<Key, List<Entry>> changed = networks.changed();
        if (counted.isEmpty() && changed.isEmpty()) {
            return outcomes;
        }

        // 3. one round trip: rows whose state changed, the reports, their per-minute counts, COMMIT
        start = System.nanoTime();
        Map<Key, Long> ids = writeCounted(c, changed, counted);
        writeTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] == null) {
                Submission s = batch.get(i).submission();
                outcomes[i] = new Submission.Outcome(true, ids.get(Key.of(s.serviceId(), s.reporter())));
            }
        }
        return outcomes;
    }

    /** Adds a counted report to a network's entries, keeping the N most recent (oldest first). */
    private void record(State networks, Key key, byte[] reporter, long t) {
        List<Entry> entries = new ArrayList<>(networks.current(key));
        entries.add(new Entry(reporter, t));
        entries.sort((a, b) -> Long.compare(a.at, b.at));
        networks.after.put(key, List.copyOf(entries.subList(Math.max(0, entries.size() - perNetwork), entries.size())));
    }

    /**
     * One round trip: inserts the missing rows (with their provisional state) and locks the existing ones
     * (a no-op update is what locks and returns them), in key order. {@code xmax = 0} tells created rows.
     */
    private static final String LOCK_STATE = """
            insert into report_network as n (service_id, network_hash, reporter_hash, counted_at_ms)
            select s, h, array[r], array[t] from unnest(?::integer[], ?::bytea[], ?::bytea[], ?::bigint[]) as u(s, h, r, t)
            on conflict (service_id, network_hash) do update set counted_at_ms = n.counted_at_ms
            returning service_id, network_hash, reporter_hash, counted_at_ms, xmax = 0
            """;

    private State lockState(Connection c, TreeMap<Key, Submission> provisional) throws SQLException {
        int n = provisional.size();
        Integer[] services = new Integer[n];
        byte[][] networks = new byte[n][];
        byte[][] reporters = new byte[n][];
        Long[] times = new Long[n];
        int i = 0;
        for (Map.Entry<Key, Submission> e : provisional.entrySet()) {
            Submission s = e.getValue();
            services[i] = e.getKey().service();
            networks[i] = e.getKey().bytes();
            // the row of tomorrow's network key holds tomorrow's reporter key
            reporters[i] = Arrays.equals(e.getKey().bytes(), s.network()) ? s.reporter() : s.reporterNext();
            times[i++] = s.receivedAt().toEpochMilli();
        }
        State state = new State();
        try (PreparedStatement st = c.prepareStatement(LOCK_STATE)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            st.setArray(1, c.createArrayOf("integer", services));
            st.setArray(2, c.createArrayOf("bytea", networks));
            st.setArray(3, c.createArrayOf("bytea", reporters));
            st.setArray(4, c.createArrayOf("bigint", times));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Key key = Key.of(rs.getInt(1), rs.getBytes(2));
                    byte[][] who = (byte[][]) rs.getArray(3).getArray();
                    Long[] when = (Long[]) rs.getArray(4).getArray();
                    List<Entry> entries = new ArrayList<>(who.length);
                    for (int k = 0; k < who.length; k++) {
                        entries.add(new Entry(who[k], when[k]));
                    }
                    List<Entry> stored = List.copyOf(entries);
                    state.stored.put(key, stored);
                    state.before.put(key, rs.getBoolean(5) ? List.of() : stored);
                }
            }
        }
        return state;
    }

    /**
     * The changed network rows, the counted reports and their per-minute counts, then COMMIT in the same
     * round trip (pgjdbc sends both statements together; its {@code commit()} is then a no-op, the
     * transaction being over). The ids come back from the insert. Times travel as epoch milliseconds.
     */
    private static final String WRITE_COUNTED = """
            with un as (
                update report_network n set reporter_hash = u.r, counted_at_ms = u.t
                from (select s, h, array_agg(r order by i) as r, array_agg(t order by i) as t
                      from unnest(?::integer[], ?::bytea[], ?::bytea[], ?::bigint[]) with ordinality as e(s, h, r, t, i)
                      group by s, h) as u
                where n.service_id = u.s and n.network_hash = u.h
            ), x as (
                select s, p, timestamptz 'epoch' + t * interval '1 millisecond' as t, country, city, postcode, source, h
                from unnest(?::integer[], ?::integer[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[])
                    as x(s, p, t, country, city, postcode, source, h)
            ), ins as (
                insert into report (id, service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select nextval('report_id_seq'), s, p, t, country, city, postcode, source, h from x
                returning id, service_id, reporter_hash
            ), m as (
                insert into report_minute as m (service_id, problem_type_id, minute, count)
                select s, p, date_trunc('minute', t, 'UTC'), count(*) from x
                group by 1, 2, 3 order by 1, 3, 2
                on conflict (service_id, minute, problem_type_id) do update set count = m.count + excluded.count
            )
            select id, service_id, reporter_hash from ins;
            commit
            """;

    private Map<Key, Long> writeCounted(Connection c, TreeMap<Key, List<Entry>> networks, List<Submission> counted)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(WRITE_COUNTED)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            // the changed rows, flattened: one element per entry (an emptied row keeps no entry: it
            // would vanish from the aggregate, so it is written as an entry counted at the epoch)
            List<Integer> es = new ArrayList<>();
            List<byte[]> eh = new ArrayList<>();
            List<byte[]> er = new ArrayList<>();
            List<Long> et = new ArrayList<>();
            for (Map.Entry<Key, List<Entry>> e : networks.entrySet()) {
                List<Entry> entries = e.getValue().isEmpty() ? List.of(new Entry(new byte[0], NEVER.toEpochMilli())) : e.getValue();
                for (Entry x : entries) {
                    es.add(e.getKey().service());
                    eh.add(e.getKey().bytes());
                    er.add(x.reporter);
                    et.add(x.at);
                }
            }
            int n = counted.size();
            Integer[] s = new Integer[n];
            Integer[] p = new Integer[n];
            Long[] t = new Long[n];
            String[] country = new String[n];
            String[] city = new String[n];
            String[] postcode = new String[n];
            String[] source = new String[n];
            byte[][] h = new byte[n][];
            for (int i = 0; i < n; i++) {
                Submission x = counted.get(i);
                s[i] = x.serviceId();
                p[i] = x.problemTypeId();
                t[i] = x.receivedAt().toEpochMilli();
                country[i] = x.country();
                city[i] = x.city();
                postcode[i] = x.postcode();
                source[i] = x.source();
                h[i] = x.reporter();
            }
            Array[] params = {c.createArrayOf("integer", es.toArray(Integer[]::new)), c.createArrayOf("bytea", eh.toArray(byte[][]::new)),
                    c.createArrayOf("bytea", er.toArray(byte[][]::new)), c.createArrayOf("bigint", et.toArray(Long[]::new)),
                    c.createArrayOf("integer", s), c.createArrayOf("integer", p), c.createArrayOf("bigint", t),
                    c.createArrayOf("text", country), c.createArrayOf("text", city), c.createArrayOf("text", postcode),
                    c.createArrayOf("text", source), c.createArrayOf("bytea", h)};
            for (int k = 0; k < params.length; k++) {
                st.setArray(k + 1, params[k]);
            }
            Map<Key, Long> ids = new HashMap<>(n * 2);
            st.execute();
            try (ResultSet r = st.getResultSet()) {
                while (r.next()) {
                    ids.put(Key.of(r.getInt(2), r.getBytes(3)), r.getLong(1));
                }
            }
            if (ids.size() != n) {
                throw new SQLException("Inserted " + ids.size() + " reports instead of " + n, "XX000");
            }
            return ids;
        }
    }

    private void complete(Pending p, Submission.Outcome outcome) {
        if (p.context() != null) {
            p.context().runOnContext(v -> p.future().complete(outcome));
        } else {
            p.future().complete(outcome);
        }
    }

    private void fail(List<Pending> batch, ProblemException problem) {
        for (Pending p : batch) {
            if (p.context() != null) {
                p.context().runOnContext(v -> p.future().completeExceptionally(problem));
            } else {
                p.future().completeExceptionally(problem);
            }
        }
    }

    /** Forgets de-duplication state older than the window (every few minutes, any instance). */
    @Scheduled(every = "5m", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cleanUp() {
        cleanUp(clock.now().minus(window));
    }

    int cleanUp(Instant before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "delete from report_network where counted_at_ms[array_upper(counted_at_ms, 1)] < ?")) {
            c.setAutoCommit(true);
            st.setLong(1, before.toEpochMilli());
            int deleted = st.executeUpdate();
            LOG.debugf("Report de-duplication clean-up: %d rows", deleted);
            return deleted;
        } catch (SQLException e) {
            LOG.warnf("Report de-duplication clean-up failed: %s", e.getMessage());
            return 0;
        }
    }
}
