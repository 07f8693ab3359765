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
import java.util.List;
import java.util.Map;
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
 * <li>lock (creating when missing) the rows of the reporters ({@code report_reporter}) and of their
 * address networks ({@code report_network}) and read them, in one statement;</li>
 * <li>decide in arrival order which reports count (same person within the window, at most N per network);</li>
 * <li>in one statement: update both tables, insert the counted reports and add them to {@code report_minute}.</li>
 * </ol>
 * Three round trips per batch (lock and read, write, commit), whatever its size. Only after the commit is each request answered, so a 201 means report and per-minute count are durable.
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

    private void flush(List<Pending> batch) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Submission.Outcome[] outcomes = write(c, batch);
                    c.commit();
                    for (int i = 0; i < outcomes.length; i++) {
                        complete(batch.get(i), outcomes[i]);
                    }
                    return;
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
                fail(batch, ProblemException.unavailable("The database is unavailable; please retry shortly", RETRY_AFTER_DOWN));
                return;
            }
        }
    }

    /** The de-duplication rows a batch touches: their state before the batch, what the rows hold now, and after. */
    private static final class State<V> {
        final TreeMap<Key, V> before = new TreeMap<>();
        final Map<Key, V> stored = new HashMap<>();
        final Map<Key, V> after = new HashMap<>();

        /** The rows whose content must change: inserted provisionally but not counted, or counted again. */
        Map<Key, V> changed() {
            Map<Key, V> changed = new TreeMap<>();
            for (Map.Entry<Key, V> e : before.entrySet()) {
                V value = after.getOrDefault(e.getKey(), e.getValue());
                if (!value.equals(stored.get(e.getKey()))) {
                    changed.put(e.getKey(), value);
                }
            }
            return changed;
        }
    }

    private Submission.Outcome[] write(Connection c, List<Pending> batch) throws SQLException {
        long windowMillis = window.toMillis();
        // 1. lock the rows of the reporters and address networks and read their state. Missing rows are
        // inserted as if the first report of the batch that needs them counts (the usual case, which then
        // needs no update); the decision below starts from "never counted" for them.
        Map<Key, Long> provisional = new HashMap<>();
        for (Pending p : batch) {
            Submission s = p.submission();
            long t = s.receivedAt().toEpochMilli();
            provisional.putIfAbsent(Key.of(s.serviceId(), s.reporter()), t);
            if (s.reporterNext() != null) {
                provisional.putIfAbsent(Key.of(s.serviceId(), s.reporterNext()), t);
            }
        }
        Map<Key, Long> provisionalNetwork = new HashMap<>();
        for (Pending p : batch) {
            Submission s = p.submission();
            long t = s.receivedAt().toEpochMilli();
            provisionalNetwork.putIfAbsent(Key.of(s.serviceId(), s.network()), t);
            if (s.networkNext() != null) {
                provisionalNetwork.putIfAbsent(Key.of(s.serviceId(), s.networkNext()), t);
            }
        }
        State<Long> reporters = new State<>();
        State<List<Long>> networks = new State<>();
        lockState(c, new TreeMap<>(provisional), new TreeMap<>(provisionalNetwork), reporters, networks);

        // 2. decide, in arrival order
        Submission.Outcome[] outcomes = new Submission.Outcome[batch.size()];
        List<Submission> counted = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Submission s = batch.get(i).submission();
            long t = s.receivedAt().toEpochMilli();
            Key reporter = Key.of(s.serviceId(), s.reporter());
            Key network = Key.of(s.serviceId(), s.network());
            List<Long> recent = networks.after.getOrDefault(network, networks.before.get(network));
            boolean counts = reporters.after.getOrDefault(reporter, reporters.before.get(reporter)) <= t - windowMillis
                    && recent.stream().filter(x -> x > t - windowMillis).count() < perNetwork;
            if (!counts) {
                outcomes[i] = new Submission.Outcome(false, 0);
                continue;
            }
            counted.add(s);
            recordReporter(reporters, reporter, t);
            recordNetwork(networks, network, t);
            if (s.reporterNext() != null) {
                recordReporter(reporters, Key.of(s.serviceId(), s.reporterNext()), t);
            }
            if (s.networkNext() != null) {
                recordNetwork(networks, Key.of(s.serviceId(), s.networkNext()), t);
            }
        }
        Map<Key, Long> reportersChanged = reporters.changed();
        Map<Key, List<Long>> networksChanged = networks.changed();
        if (counted.isEmpty() && reportersChanged.isEmpty() && networksChanged.isEmpty()) {
            return outcomes;
        }

        // 3. one round trip: rows whose state changed, the reports, their per-minute counts, COMMIT
        Map<Key, Long> ids = writeCounted(c, reportersChanged, networksChanged, counted);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes[i] == null) {
                Submission s = batch.get(i).submission();
                outcomes[i] = new Submission.Outcome(true, ids.get(Key.of(s.serviceId(), s.reporter())));
            }
        }
        return outcomes;
    }

    private void recordReporter(State<Long> reporters, Key key, long t) {
        reporters.after.put(key, Math.max(reporters.after.getOrDefault(key, reporters.before.get(key)), t));
    }

    private void recordNetwork(State<List<Long>> networks, Key key, long t) {
        List<Long> times = new ArrayList<>(networks.after.getOrDefault(key, networks.before.get(key)));
        times.add(t);
        times.sort(null);
        networks.after.put(key, List.copyOf(times.subList(Math.max(0, times.size() - perNetwork), times.size())));
    }

    /**
     * One round trip: inserts the missing rows (with a provisional state) and locks the existing ones
     * (a no-op update is what locks and returns them), in key order. {@code xmax = 0} tells inserted rows.
     */
    private static final String LOCK_STATE = """
            with r as (
                insert into report_reporter as r (service_id, reporter_hash, counted_at)
                select s, h, t::timestamptz from unnest(?::integer[], ?::bytea[], ?::text[]) as t(s, h, t)
                on conflict (service_id, reporter_hash) do update set counted_at = r.counted_at
                returning service_id, reporter_hash, counted_at, xmax = 0 as inserted
            ), n as (
                insert into report_network as n (service_id, network_hash, counted_at)
                select s, h, array[t::timestamptz] from unnest(?::integer[], ?::bytea[], ?::text[]) as t(s, h, t)
                on conflict (service_id, network_hash) do update set counted_at = n.counted_at
                returning service_id, network_hash, counted_at, xmax = 0 as inserted
            )
            select false, service_id, reporter_hash, array[floor(extract(epoch from counted_at) * 1000)::bigint], inserted from r
            union all
            select true, service_id, network_hash,
                array(select floor(extract(epoch from x) * 1000)::bigint from unnest(counted_at) with ordinality u(x, i) order by i),
                inserted from n
            """;

    private void lockState(Connection c, TreeMap<Key, Long> provisional, TreeMap<Key, Long> provisionalNetwork,
            State<Long> reporters, State<List<Long>> networks) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(LOCK_STATE)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            setKeys(c, st, 1, provisional);
            setKeys(c, st, 4, provisionalNetwork);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Key key = Key.of(rs.getInt(2), rs.getBytes(3));
                    // epoch milliseconds (floor, as Instant.toEpochMilli): parsing timestamptz text in
                    // pgjdbc was a quarter of the flusher's CPU (ingest profile)
                    Long[] times = (Long[]) rs.getArray(4).getArray();
                    boolean inserted = rs.getBoolean(5);
                    if (rs.getBoolean(1)) {
                        List<Long> list = List.of(times);
                        networks.stored.put(key, list);
                        networks.before.put(key, inserted ? List.of() : list);
                    } else {
                        long t = times[0];
                        reporters.stored.put(key, t);
                        reporters.before.put(key, inserted ? NEVER.toEpochMilli() : t);
                    }
                }
            }
        }
    }

    /** Keys in their (sorted) order, so that every flusher and instance locks rows in the same order. */
    private static void setKeys(Connection c, PreparedStatement st, int index, TreeMap<Key, Long> rows) throws SQLException {
        Integer[] services = new Integer[rows.size()];
        byte[][] hashes = new byte[rows.size()][];
        String[] times = new String[rows.size()];
        int i = 0;
        for (Map.Entry<Key, Long> e : rows.entrySet()) {
            services[i] = e.getKey().service();
            hashes[i] = e.getKey().bytes();
            times[i++] = Instant.ofEpochMilli(e.getValue()).toString();
        }
        st.setArray(index, c.createArrayOf("integer", services));
        st.setArray(index + 1, c.createArrayOf("bytea", hashes));
        st.setArray(index + 2, c.createArrayOf("text", times));
    }

    /**
     * The counted reports with their state and per-minute counts, then COMMIT in the same round trip
     * (pgjdbc sends both statements together; its {@code commit()} is then a no-op, the transaction
     * being over). The ids come back from the insert.
     */
    private static final String WRITE_COUNTED = """
            with ur as (
                update report_reporter r set counted_at = u.t::timestamptz
                from unnest(?::integer[], ?::bytea[], ?::text[]) as u(s, h, t)
                where r.service_id = u.s and r.reporter_hash = u.h
            ), un as (
                update report_network n set counted_at = u.t::timestamptz[]
                from unnest(?::integer[], ?::bytea[], ?::text[]) as u(s, h, t)
                where n.service_id = u.s and n.network_hash = u.h
            ), x as (
                select * from unnest(?::integer[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[])
                    as x(s, p, t, country, city, postcode, source, h)
            ), ins as (
                insert into report (id, service_id, problem_type_id, received_at, country, city, postcode, source, reporter_hash)
                select nextval('report_id_seq'), s, p, t::timestamptz, country, city, postcode, source, h from x
                returning id, service_id, reporter_hash
            ), m as (
                insert into report_minute as m (service_id, problem_type_id, minute, count)
                select s, p, date_trunc('minute', t::timestamptz, 'UTC'), count(*) from x
                group by 1, 2, 3 order by 1, 3, 2
                on conflict (service_id, minute, problem_type_id) do update set count = m.count + excluded.count
            )
            select id, service_id, reporter_hash from ins;
            commit
            """;

    private Map<Key, Long> writeCounted(Connection c, Map<Key, Long> reporters, Map<Key, List<Long>> networks,
            List<Submission> counted) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(WRITE_COUNTED)) {
            st.setQueryTimeout(statementTimeoutSeconds);
            int n = reporters.size();
            Integer[] rs = new Integer[n];
            byte[][] rh = new byte[n][];
            String[] rt = new String[n];
            int i = 0;
            for (Map.Entry<Key, Long> e : reporters.entrySet()) {
                rs[i] = e.getKey().service();
                rh[i] = e.getKey().bytes();
                rt[i++] = Instant.ofEpochMilli(e.getValue()).toString();
            }
            n = networks.size();
            Integer[] ns = new Integer[n];
            byte[][] nh = new byte[n][];
            String[] nt = new String[n];
            i = 0;
            for (Map.Entry<Key, List<Long>> e : networks.entrySet()) {
                ns[i] = e.getKey().service();
                nh[i] = e.getKey().bytes();
                StringBuilder b = new StringBuilder("{");
                for (Long t : e.getValue()) {
                    b.append(b.length() > 1 ? "," : "").append(Instant.ofEpochMilli(t));
                }
                nt[i++] = b.append('}').toString();
            }
            n = counted.size();
            Integer[] s = new Integer[n];
            Integer[] p = new Integer[n];
            String[] t = new String[n];
            String[] country = new String[n];
            String[] city = new String[n];
            String[] postcode = new String[n];
            String[] source = new String[n];
            byte[][] h = new byte[n][];
            for (i = 0; i < n; i++) {
                Submission x = counted.get(i);
                s[i] = x.serviceId();
                p[i] = x.problemTypeId();
                t[i] = x.receivedAt().toString();
                country[i] = x.country();
                city[i] = x.city();
                postcode[i] = x.postcode();
                source[i] = x.source();
                h[i] = x.reporter();
            }
            Array[] params = {c.createArrayOf("integer", rs), c.createArrayOf("bytea", rh), c.createArrayOf("text", rt),
                    c.createArrayOf("integer", ns), c.createArrayOf("bytea", nh), c.createArrayOf("text", nt),
                    c.createArrayOf("integer", s), c.createArrayOf("integer", p), c.createArrayOf("text", t),
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
        try (Connection c = dataSource.getConnection(); PreparedStatement r = c.prepareStatement(
                "delete from report_reporter where counted_at < ?::timestamptz");
                PreparedStatement n = c.prepareStatement("delete from report_network n where "
                        + "coalesce((select max(t) from unnest(n.counted_at) t), 'epoch') < ?::timestamptz")) {
            c.setAutoCommit(true);
            r.setString(1, before.toString());
            n.setString(1, before.toString());
            int deleted = r.executeUpdate() + n.executeUpdate();
            LOG.debugf("Report de-duplication clean-up: %d rows", deleted);
            return deleted;
        } catch (SQLException e) {
            LOG.warnf("Report de-duplication clean-up failed: %s", e.getMessage());
            return 0;
        }
    }
}
