package org.downwatch.detect;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.demo.DemoData;
import org.jboss.logging.Logger;

/**
 * The live detector: every minute, evaluates the minute that just ended for every service, writes
 * {@code service_status} and opens, updates and closes incidents.
 * <p>
 * One {@link Detector} per service lives in memory and is fed one minute at a time (one indexed query
 * per minute for all services), so a minute costs microseconds per service and weeks of history are
 * never rescanned. Cluster-safe: each evaluation runs in one transaction that first takes a PostgreSQL
 * advisory lock ({@code pg_try_advisory_xact_lock}); the last evaluated minute is kept in
 * {@code app_setting} ({@code detect.evaluated-until}), so an instance that did not evaluate the last
 * minutes feeds them silently to its detectors and writes only what nobody wrote; an instance that
 * does not evaluate at all (another one holds the lock, or was faster) follows the same way, after the
 * lock is released, so that the charts it serves have their baseline. Open incidents are
 * read back from the database at each evaluation (the unique partial index allows one per service).
 * <p>
 * What the detectors learned is saved in {@code detector_state} by the evaluating instance every
 * {@code downwatch.detect.save-every} (an hour) and at shutdown, all services at one minute. At start, or
 * when an instance takes over, the saved state is restored if it was learned under the same settings and
 * is not older than {@code downwatch.detect.replay}, and only the minutes since are fed; otherwise (and
 * when the demo rewrote the history) the last {@code downwatch.detect.replay} (28 days, the weeks kept)
 * are replayed, so past incidents are re-derived. Plain JDBC: the hot path is a few statements per
 * minute, whatever the number of services.
 */
@ApplicationScoped
public class LiveDetector {

    private static final Logger LOG = Logger.getLogger(LiveDetector.class);
    /** Advisory lock key: "downwatc" in ASCII. */
    static final long LOCK_KEY = 0x646f776e77617463L;
    /** Advisory lock key of saving the detectors' state: "dwstate" in ASCII. */
    static final long SAVE_KEY = 0x6477737461746500L;
    /** Rows per batch when saving the detectors' state. */
    private static final int SAVE_BATCH = 200;
    static final String SETTING = "detect.evaluated-until";

    /** Per service: its detector, its last verdict and the incident it is in. */
    static final class State {
        final int serviceId;
        final Detector detector;
        Detector.Verdict last;
        Tracked incident;

        State(int serviceId, Detector detector) {
            this.serviceId = serviceId;
            this.detector = detector;
        }
    }

    /** An incident as the detector follows it, written at the end of an evaluation when dirty. */
    static final class Tracked {
        Long id;
        long started;
        long detected;
        long peakAt;
        int peakCount;
        double peakScore;
        long lastAbnormal;
        int reportCount;
        int pending;
        Long ended;
        boolean dirty = true;
    }

    private final AgroalDataSource dataSource;
    private final DetectConfig config;
    private final Catalog catalog;
    private final DetectorSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, State> states = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();
    /** The last minute fed to every detector (epoch minutes), or Long.MIN_VALUE before the warm-up. */
    private long stateMinute = Long.MIN_VALUE;
    /** The minute of the state last saved or restored here, or Long.MIN_VALUE. */
    private long savedMinute = Long.MIN_VALUE;
    private final String stateKey;
    /** The evaluations that wrote: counts read, detectors stepped, incidents and status written, committed. */
    private final Timer evaluationTimer;

    LiveDetector(AgroalDataSource dataSource, DetectConfig config, Catalog catalog, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.config = config;
        this.catalog = catalog;
        this.settings = config.settings();
        this.stateKey = Detector.stateKey(settings, 1);
        this.evaluationTimer = Timer.builder("downwatch.detect.evaluation")
                .description("Live detection: one evaluation of every service (usually one minute), committed")
                .publishPercentiles(0.5, 0.99).register(metrics);
    }

    /** For tests: the clock that says which minute just ended. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    /** The detector of a service as it stands (for charts); null before the first evaluation. */
    Detector detector(int serviceId) {
        State s = states.get(serviceId);
        return s == null ? null : s.detector;
    }

    /**
     * Warms the detectors up (the saved state and the minutes since, or weeks of history) beside the start,
     * not in it: reports are accepted and pages served meanwhile, with the status last written. Observes
     * after the demo data (default priority), which replays a history it rewrote itself.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
        if (config.enabled()) {
            Infrastructure.getDefaultWorkerPool().execute(this::evaluateNow);
        }
    }

    /** Saves what the detectors learned, so that the next start need not replay it. */
    void onStop(@Observes ShutdownEvent event) {
        if (!config.enabled()) {
            return;
        }
        try {
            // a minute's evaluation takes milliseconds; a warm-up still running has nothing complete to save
            if (!lock.tryLock(10, TimeUnit.SECONDS)) {
                LOG.info("Detection: still warming up at shutdown, nothing saved");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (stateMinute != Long.MIN_VALUE && stateMinute > savedMinute) {
                save();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Detection: could not save the detectors' state at shutdown", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Services were merged (here or on another instance): the merged services' detectors go, and each target's
     * detector relearns from its merged series, so that detection goes on from both histories. A service added
     * at runtime needs nothing here: the next evaluation gives it a fresh (young) detector.
     */
    void onCatalogChange(@Observes Catalog.Changed change) {
        if (change.merged().isEmpty()) {
            return;
        }
        lock.lock();
        try (Connection c = dataSource.getConnection()) {
            change.merged().keySet().forEach(states::remove);
            if (stateMinute == Long.MIN_VALUE) {
                return; // not warmed up yet: the warm-up reads the merged series anyway
            }
            for (int target : new java.util.TreeSet<>(change.merged().values())) {
                relearn(c, target);
            }
        } catch (SQLException e) {
            LOG.warn("Detection: could not relearn merged services; replaying the history at the next evaluation", e);
            reset();
        } finally {
            lock.unlock();
        }
    }

    /** A fresh detector for one service fed its last {@code replay} of history up to {@code stateMinute}. */
    private void relearn(Connection c, int serviceId) throws SQLException {
        long from = stateMinute - config.replay().toMinutes() + 1;
        Detector d = new Detector(settings, 1);
        Detector.Verdict last = null;
        try (PreparedStatement ps = c.prepareStatement("select (extract(epoch from minute) / 60)::bigint, sum(count)::int "
                + "from report_minute where service_id = ? and minute >= ? and minute < ? group by 1 order by 1")) {
            ps.setInt(1, serviceId);
            ps.setTimestamp(2, ts(from));
            ps.setTimestamp(3, ts(stateMinute + 1));
            try (ResultSet rs = ps.executeQuery()) {
                boolean more = rs.next();
                for (long m = from; m <= stateMinute; m++) {
                    int n = 0;
                    if (more && rs.getLong(1) == m) {
                        n = rs.getInt(2);
                        more = rs.next();
                    }
                    last = d.step(m, n, m == stateMinute);
                }
            }
        }
        State st = new State(serviceId, d);
        State old = states.get(serviceId);
        st.incident = old == null ? null : old.incident;
        st.last = last;
        states.put(serviceId, st);
    }

    /** The demo rewrote the history: forget everything and replay it. */
    void onDemoData(@Observes DemoData.Generated generated) {
        if (!config.enabled()) {
            return;
        }
        lock.lock();
        try {
            reset();
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("delete from app_setting where key = '" + SETTING + "'");
                st.execute("delete from detector_state"); // learned from the history that is gone
            }
            evaluateUntil(clock.instant());
        } catch (SQLException e) {
            LOG.error("Detection: could not replay the demo history", e);
        } finally {
            lock.unlock();
        }
    }

    @Scheduled(cron = "${downwatch.detect.cron:5 * * * * ?}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void everyMinute() {
        if (config.enabled()) {
            evaluateNow();
        }
    }

    private void evaluateNow() {
        try {
            evaluateUntil(clock.instant().minus(config.lag()));
        } catch (SQLException | RuntimeException e) {
            LOG.error("Detection: evaluation failed", e);
        }
    }

    /** Forgets the in-memory state: the next evaluation warms up from the history again. */
    void reset() {
        lock.lock();
        try {
            states.clear();
            stateMinute = Long.MIN_VALUE;
            savedMinute = Long.MIN_VALUE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Evaluates every minute that ended before {@code now} and was not evaluated yet (cluster-wide).
     * Answers false when another instance holds the lock.
     */
    public boolean evaluateUntil(Instant now) throws SQLException {
        long target = Math.floorDiv(now.getEpochSecond(), 60) - 1; // the last finished minute
        long replay = config.replay().toMinutes();
        lock.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (stateMinute == Long.MIN_VALUE) {
                    // a cold start warms up to what was evaluated before taking the lock, so that other
                    // instances go on evaluating meanwhile (a replay of weeks takes minutes at scale)
                    long evaluated = evaluatedUntil(c);
                    if (evaluated >= target - replay) { // else the replay below starts later anyway
                        catchUp(c, evaluated, target, replay);
                    }
                    c.commit();
                }
                boolean evaluating = tryLock(c);
                long done = evaluatedUntil(c);
                long writeFrom = Math.max(done == Long.MIN_VALUE ? Long.MIN_VALUE : done + 1, target - replay + 1);
                if (!evaluating || writeFrom > target) {
                    // another instance evaluates, or did: follow it silently, so that the charts this instance
                    // serves have their baseline; without holding up the lock
                    c.commit();
                    catchUp(c, done, target, replay);
                    c.commit();
                    return evaluating;
                }
                if (stateMinute == Long.MIN_VALUE || stateMinute < target - replay || stateMinute > target) {
                    warmUp(c, target, replay);
                }
                long t0 = System.nanoTime();
                long silentUntil = Math.min(writeFrom - 1, target);
                if (stateMinute < silentUntil) {
                    feed(c, stateMinute + 1, silentUntil, false);
                }
                adoptOpenIncidents(c);
                long from = stateMinute + 1;
                feed(c, from, target, true);
                flushIncidents(c, target);
                writeStatus(c, target);
                setEvaluatedUntil(c, target);
                c.commit();
                long elapsed = System.nanoTime() - t0;
                evaluationTimer.record(elapsed, TimeUnit.NANOSECONDS);
                long ms = elapsed / 1_000_000;
                if (target - from > 5) {
                    LOG.infof("Detection: evaluated %d minutes of %d services in %d ms", target - from + 1, states.size(), ms);
                }
                if (savedMinute == Long.MIN_VALUE || stateMinute - savedMinute >= config.saveEvery().toMinutes()) {
                    try {
                        save();
                    } catch (SQLException | RuntimeException e) {
                        LOG.warn("Detection: could not save the detectors' state", e); // the next start replays
                    }
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                states.clear(); // in-memory state may be ahead of the database: warm up again next time
                stateMinute = Long.MIN_VALUE;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores the detectors from {@code detector_state} if it was saved at a minute within [from, to]
     * under these settings, and sets {@code stateMinute} to that minute. If any service's state is unusable
     * nothing is restored (a fresh detector beside restored ones would be silently wrong): the history is
     * replayed instead.
     */
    private void restore(Connection c, long from, long to) throws SQLException {
        long t0 = System.nanoTime();
        Map<Integer, State> restored = new HashMap<>();
        long minute = Long.MIN_VALUE;
        try (PreparedStatement ps = c.prepareStatement("select service_id, (extract(epoch from minute) / 60)::bigint, settings, "
                + "state from detector_state")) {
            ps.setFetchSize(SAVE_BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    long m = rs.getLong(2);
                    String why = !stateKey.equals(rs.getString(3)) ? "it was learned under other settings"
                            : m < from ? "it is older than the replay" : m > to ? "it is newer than the last finished minute here (clock?)"
                            : minute != Long.MIN_VALUE && m != minute ? "its services were saved at different minutes" : null;
                    Detector d = why == null ? Detector.restore(settings, 1, rs.getBytes(4)) : null;
                    if (why == null && (d == null || d.lastMinute() > m)) {
                        why = "the state of service " + id + " cannot be read";
                    }
                    if (why != null) {
                        LOG.infof("Detection: the saved state is not restored (%s); replaying the history", why);
                        return;
                    }
                    minute = m;
                    restored.put(id, new State(id, d));
                }
            }
        }
        if (restored.isEmpty()) {
            return;
        }
        states.putAll(restored);
        stateMinute = minute;
        savedMinute = minute;
        LOG.infof("Detection: restored the state of %d services saved at %s in %d ms", restored.size(),
                Instant.ofEpochSecond(minute * 60), (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Saves every detector's state at {@code stateMinute}, replacing the saved one unless that is newer
     * (another instance evaluated further), in its own transaction. The caller holds {@code lock}.
     */
    void save() throws SQLException {
        long t0 = System.nanoTime();
        long bytes = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("select pg_advisory_xact_lock(" + SAVE_KEY + ")");
                    try (ResultSet rs = st.executeQuery("select max(extract(epoch from minute) / 60)::bigint from detector_state")) {
                        rs.next();
                        long saved = rs.getLong(1);
                        if (!rs.wasNull() && saved > stateMinute) {
                            c.rollback();
                            return;
                        }
                    }
                    st.execute("delete from detector_state");
                }
                Timestamp minute = ts(stateMinute);
                try (PreparedStatement ps = c.prepareStatement("insert into detector_state (service_id, minute, settings, state) "
                        + "select ?, ?, ?, ? where exists (select 1 from service where id = ?)")) {
                    int n = 0;
                    for (State st : states.values()) {
                        if (st.detector.lastMinute() > stateMinute) {
                            continue;
                        }
                        byte[] state = st.detector.state();
                        bytes += state.length;
                        ps.setInt(1, st.serviceId);
                        ps.setTimestamp(2, minute);
                        ps.setString(3, stateKey);
                        ps.setBytes(4, state);
                        ps.setInt(5, st.serviceId);
                        ps.addBatch();
                        if (++n % SAVE_BATCH == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        savedMinute = stateMinute;
        LOG.infof("Detection: saved the state of %d services (%d KB) in %d ms", states.size(), bytes / 1024,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Feeds the detectors silently up to what was evaluated ({@code done}, at most {@code target}), warming
     * them up first if they are cold or too far behind; nothing when nothing was evaluated yet.
     */
    private void catchUp(Connection c, long done, long target, long replay) throws SQLException {
        if (done == Long.MIN_VALUE) {
            return;
        }
        long until = Math.min(done, target);
        if (stateMinute == Long.MIN_VALUE || stateMinute < until - replay) {
            warmUp(c, until, replay);
        }
        if (stateMinute < until) {
            long t0 = System.nanoTime();
            long from = stateMinute + 1;
            feed(c, from, until, false);
            if (until - from > 5) {
                LOG.infof("Detection: followed %d minutes of %d services in %d ms", until - from + 1, states.size(),
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    /** Forgets the detectors and starts again from the saved state, if it can be restored, or from {@code until - replay}. */
    private void warmUp(Connection c, long until, long replay) throws SQLException {
        states.clear();
        stateMinute = until - replay;
        savedMinute = Long.MIN_VALUE;
        restore(c, until - replay, until);
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long evaluatedUntil(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select value from app_setting where key = ?")) {
            ps.setString(1, SETTING);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Instant.parse(rs.getString(1)).getEpochSecond() / 60 : Long.MIN_VALUE;
            }
        }
    }

    private static void setEvaluatedUntil(Connection c, long minute) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into app_setting (key, value, updated_at) values (?, ?, now()) "
                + "on conflict (key) do update set value = excluded.value, updated_at = now()")) {
            ps.setString(1, SETTING);
            ps.setString(2, Instant.ofEpochSecond(minute * 60).toString());
            ps.executeUpdate();
        }
    }

    private State state(int serviceId) {
        return states.computeIfAbsent(serviceId, id -> new State(id, new Detector(settings, 1)));
    }

    /**
     * Feeds minutes [from, to] to every service's detector from report_minute (one query, ordered by
     * minute); with {@code live}, follows incidents and keeps the bounds of the last minute.
     */
    private void feed(Connection c, long from, long to, boolean live) throws SQLException {
        for (Service s : catalog.services()) {
            state(s.id);
        }
        try (PreparedStatement ps = c.prepareStatement("select (extract(epoch from minute) / 60)::bigint, service_id, sum(count)::int "
                + "from report_minute where minute >= ? and minute < ? group by 1, 2 order by 1")) {
            ps.setFetchSize(50_000);
            ps.setTimestamp(1, Timestamp.from(Instant.ofEpochSecond(from * 60)));
            ps.setTimestamp(2, Timestamp.from(Instant.ofEpochSecond((to + 1) * 60)));
            try (ResultSet rs = ps.executeQuery()) {
                Map<Integer, Integer> counts = new HashMap<>();
                boolean more = rs.next();
                for (long m = from; m <= to; m++) {
                    counts.clear();
                    while (more && rs.getLong(1) == m) {
                        counts.put(rs.getInt(2), rs.getInt(3));
                        more = rs.next();
                    }
                    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                        state(e.getKey());
                    }
                    boolean bounds = m == to;
                    for (State st : states.values()) {
                        if (st.detector.lastMinute() >= m) {
                            continue;
                        }
                        int n = counts.getOrDefault(st.serviceId, 0);
                        st.last = st.detector.step(m, n, bounds);
                        follow(st, st.last, live);
                    }
                    stateMinute = m;
                }
            }
        }
    }

    /** Opens, updates and closes the service's incident from the minute's verdict. */
    private void follow(State st, Detector.Verdict v, boolean live) {
        long m = v.minute();
        Tracked t = st.incident;
        boolean abnormal = !ServiceStatus.NONE.equals(v.level());
        if (t == null) {
            if (!v.problem()) {
                return;
            }
            t = new Tracked();
            t.started = v.onset() >= 0 ? v.onset() : m;
            t.detected = m;
            t.reportCount = st.detector.countSince(t.started);
            t.peakAt = m;
            t.peakCount = v.count();
            t.peakScore = v.score();
            t.lastAbnormal = m;
            st.incident = t;
            return;
        }
        t.dirty = true;
        if (abnormal) {
            t.reportCount += t.pending + v.count();
            t.pending = 0;
            t.lastAbnormal = m;
            if (v.count() > t.peakCount) {
                t.peakCount = v.count();
                t.peakAt = m;
            }
            t.peakScore = Math.max(t.peakScore, v.score());
        } else {
            t.pending += v.count();
            if (m - t.lastAbnormal >= config.closeAfter().toMinutes()) {
                t.ended = t.lastAbnormal + 1;
                if (live) {
                    closed.put(t, st.serviceId);
                }
                st.incident = null;
            }
        }
        if (!live && st.incident != null) {
            st.incident.dirty = false; // the silent feed writes nothing: the database has the truth
        }
    }

    /** Incidents closed during this evaluation, with their service. */
    private final Map<Tracked, Integer> closed = new HashMap<>();

    /** The database knows best which incidents are open: adopt those, forget the others. */
    private void adoptOpenIncidents(Connection c) throws SQLException {
        closed.clear();
        Map<Integer, Tracked> open = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, service_id, extract(epoch from started_at)::bigint / 60, "
                + "extract(epoch from detected_at)::bigint / 60, extract(epoch from coalesce(peak_at, started_at))::bigint / 60, "
                + "coalesce(peak_count, 0), coalesce(peak_score, 0), report_count from incident where ended_at is null");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Tracked t = new Tracked();
                t.id = rs.getLong(1);
                t.started = rs.getLong(3);
                t.detected = rs.getLong(4);
                t.peakAt = rs.getLong(5);
                t.peakCount = rs.getInt(6);
                t.peakScore = rs.getDouble(7);
                t.reportCount = rs.getInt(8);
                t.dirty = false;
                open.put(rs.getInt(2), t);
            }
        }
        for (State st : states.values()) {
            Tracked db = open.get(st.serviceId);
            if (db != null) {
                // keep what this instance knows of the quiet minutes since
                db.lastAbnormal = st.incident != null ? st.incident.lastAbnormal : stateMinute;
                db.pending = st.incident != null ? st.incident.pending : 0;
            }
            st.incident = db; // an incident only in memory was closed, or never written, by someone else
        }
    }

    private void flushIncidents(Connection c, long target) throws SQLException {
        Map<Tracked, Integer> all = new HashMap<>(closed);
        for (State st : states.values()) {
            if (st.incident != null && st.incident.dirty) {
                all.put(st.incident, st.serviceId);
            }
        }
        for (Map.Entry<Tracked, Integer> e : all.entrySet()) {
            Tracked t = e.getKey();
            int serviceId = e.getValue();
            if (t.id == null) {
                try (PreparedStatement ps = c.prepareStatement("insert into incident (service_id, started_at, detected_at, peak_at, "
                        + "peak_count, peak_score, ended_at, report_count) values (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "on conflict do nothing returning id")) {
                    ps.setInt(1, serviceId);
                    ps.setTimestamp(2, ts(t.started));
                    ps.setTimestamp(3, ts(t.detected));
                    ps.setTimestamp(4, ts(t.peakAt));
                    ps.setInt(5, t.peakCount);
                    ps.setDouble(6, t.peakScore);
                    ps.setTimestamp(7, t.ended == null ? null : ts(t.ended));
                    ps.setInt(8, t.reportCount);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue; // another open incident exists (the unique index): nothing to add
                        }
                        t.id = rs.getLong(1);
                    }
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("update incident set peak_at = ?, peak_count = ?, peak_score = ?, "
                        + "ended_at = ?, report_count = ? where id = ?")) {
                    ps.setTimestamp(1, ts(t.peakAt));
                    ps.setInt(2, t.peakCount);
                    ps.setDouble(3, t.peakScore);
                    ps.setTimestamp(4, t.ended == null ? null : ts(t.ended));
                    ps.setInt(5, t.reportCount);
                    ps.setLong(6, t.id);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement del = c.prepareStatement("delete from incident_problem where incident_id = ?");
                    PreparedStatement ins = c.prepareStatement("insert into incident_problem (incident_id, problem_type_id, count) "
                            + "select ?, problem_type_id, sum(count) from report_minute where service_id = ? and minute >= ? "
                            + "and minute < ? group by problem_type_id")) {
                del.setLong(1, t.id);
                del.executeUpdate();
                ins.setLong(1, t.id);
                ins.setInt(2, serviceId);
                ins.setTimestamp(3, ts(t.started));
                ins.setTimestamp(4, ts(t.ended != null ? t.ended : Math.max(t.lastAbnormal, t.detected) + 1));
                ins.executeUpdate();
            }
            t.dirty = false;
        }
        closed.clear();
    }

    private void writeStatus(Connection c, long target) throws SQLException {
        List<State> evaluated = states.values().stream().filter(s -> s.last != null && s.last.minute() == target).toList();
        int n = evaluated.size();
        Integer[] ids = new Integer[n];
        String[] levels = new String[n];
        Timestamp[] since = new Timestamp[n];
        Integer[] observed = new Integer[n];
        Double[] expected = new Double[n];
        Double[] upper = new Double[n];
        Integer[] window = new Integer[n];
        Double[] score = new Double[n];
        for (int i = 0; i < n; i++) {
            Detector.Verdict v = evaluated.get(i).last;
            ids[i] = evaluated.get(i).serviceId;
            levels[i] = v.level();
            since[i] = v.onset() >= 0 ? ts(v.onset()) : null;
            observed[i] = v.observed();
            expected[i] = v.windowExpected();
            upper[i] = (double) v.windowUpper();
            window[i] = v.windowMinutes();
            score[i] = Math.max(0, Math.min(1, v.score()));
        }
        try (PreparedStatement ps = c.prepareStatement("insert into service_status (service_id, level, since, evaluated_at, observed, "
                + "expected, upper, window_minutes, score) select u.id, u.level, u.since, ?, u.observed, u.expected, u.upper, u.win, u.score "
                + "from unnest(?::int[], ?::text[], ?::timestamptz[], ?::int[], ?::float8[], ?::float8[], ?::int[], ?::float8[]) "
                + "as u(id, level, since, observed, expected, upper, win, score) "
                + "where exists (select 1 from service s where s.id = u.id) "
                + "on conflict (service_id) do update set level = excluded.level, since = excluded.since, "
                + "evaluated_at = excluded.evaluated_at, observed = excluded.observed, expected = excluded.expected, "
                + "upper = excluded.upper, window_minutes = excluded.window_minutes, score = excluded.score")) {
            ps.setTimestamp(1, ts(target));
            ps.setArray(2, array(c, "int4", ids));
            ps.setArray(3, array(c, "text", levels));
            ps.setArray(4, array(c, "timestamptz", since));
            ps.setArray(5, array(c, "int4", observed));
            ps.setArray(6, array(c, "float8", expected));
            ps.setArray(7, array(c, "float8", upper));
            ps.setArray(8, array(c, "int4", window));
            ps.setArray(9, array(c, "float8", score));
            ps.executeUpdate();
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    private static Timestamp ts(long minute) {
        return Timestamp.from(Instant.ofEpochSecond(minute * 60));
    }
}
