package org.downwatch.detect;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.IncidentTracker.Tracked;
import org.jboss.logging.Logger;

/**
 * This instance's detectors, one per service in memory, fed one minute at a time (one indexed query per
 * minute for all services), so a minute costs microseconds per service and weeks of history are never
 * rescanned; each with the incident it follows. What they learned is saved in {@code detector_state} and
 * restored at a warm-up when it was learned under the same settings and is recent enough; otherwise the
 * history is replayed. Not thread-safe: {@link DetectionJob} holds its lock around every call but
 * {@link #detector}.
 */
@ApplicationScoped
public class ServiceDetectors {

    private static final Logger LOG = Logger.getLogger(ServiceDetectors.class);

    /** Per service: its detector, its last verdict and its incident. */
    static final class State {
        final int serviceId;
        final Detector detector;
        final IncidentTracker incident;
        Detector.Verdict last;

        State(int serviceId, Detector detector, long closeAfterMinutes) {
            this.serviceId = serviceId;
            this.detector = detector;
            this.incident = new IncidentTracker(closeAfterMinutes);
        }
    }

    private final DetectionStore store;
    private final Catalog catalog;
    private final NetworkGate gate;
    private final DetectorSettings settings;
    private final String stateKey;
    private final long closeAfterMinutes;
    private final Map<Integer, State> states = new ConcurrentHashMap<>();
    /** Incidents closed during this evaluation, with their service. */
    private final Map<Tracked, Integer> closed = new HashMap<>();
    /** The last minute fed to every detector (epoch minutes), or Long.MIN_VALUE before the warm-up. */
    private volatile long stateMinute = Long.MIN_VALUE;
    /** The minute of the state last saved or restored here, or Long.MIN_VALUE. */
    private long savedMinute = Long.MIN_VALUE;

    ServiceDetectors(DetectionStore store, DetectConfig config, Catalog catalog, NetworkGate gate) {
        this.store = store;
        this.catalog = catalog;
        this.gate = gate;
        this.settings = config.settings();
        this.stateKey = Detector.stateKey(settings, 1);
        this.closeAfterMinutes = config.closeAfter().toMinutes();
    }

    /** The detector of a service as it stands (for charts); null before the first evaluation. */
    public Detector detector(int serviceId) {
        State s = states.get(serviceId);
        return s == null ? null : s.detector;
    }

    /** The last minute fed to every detector, or {@code Long.MIN_VALUE} while cold. */
    long minute() {
        return stateMinute;
    }

    int size() {
        return states.size();
    }

    /** Forgets everything: the next evaluation warms up from the saved state or the history again. */
    void reset() {
        states.clear();
        stateMinute = Long.MIN_VALUE;
        savedMinute = Long.MIN_VALUE;
    }

    /** The in-memory state may be ahead of the database (a failed evaluation): warm up again next time. */
    void invalidate() {
        states.clear();
        stateMinute = Long.MIN_VALUE;
    }

    /**
     * Feeds the detectors silently up to what was evaluated ({@code done}, at most {@code target}), warming
     * them up first if they are cold or too far behind; nothing when nothing was evaluated yet.
     */
    void catchUp(Connection c, long done, long target, long replay) throws SQLException {
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
    void warmUp(Connection c, long until, long replay) throws SQLException {
        states.clear();
        stateMinute = until - replay;
        savedMinute = Long.MIN_VALUE;
        restore(c, until - replay, until);
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
        long[] minute = { Long.MIN_VALUE };
        boolean[] usable = { true };
        store.readStates(c, s -> {
            long m = s.minute();
            String why = !stateKey.equals(s.key()) ? "it was learned under other settings"
                    : m < from ? "it is older than the replay" : m > to ? "it is newer than the last finished minute here (clock?)"
                    : minute[0] != Long.MIN_VALUE && m != minute[0] ? "its services were saved at different minutes" : null;
            Detector d = why == null ? Detector.restore(settings, 1, s.state()) : null;
            if (why == null && (d == null || d.lastMinute() > m)) {
                why = "the state of service " + s.serviceId() + " cannot be read";
            }
            if (why != null) {
                LOG.infof("Detection: the saved state is not restored (%s); replaying the history", why);
                usable[0] = false;
                return false;
            }
            minute[0] = m;
            restored.put(s.serviceId(), new State(s.serviceId(), d, closeAfterMinutes));
            return true;
        });
        if (!usable[0] || restored.isEmpty()) {
            return;
        }
        states.putAll(restored);
        stateMinute = minute[0];
        savedMinute = minute[0];
        LOG.infof("Detection: restored the state of %d services saved at %s in %d ms", restored.size(),
                Instant.ofEpochSecond(minute[0] * 60), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Whether the state was not saved here yet, or not for {@code everyMinutes}. */
    boolean saveDue(long everyMinutes) {
        return savedMinute == Long.MIN_VALUE || stateMinute - savedMinute >= everyMinutes;
    }

    /** Whether minutes were fed since the state was last saved or restored. */
    boolean unsaved() {
        return stateMinute != Long.MIN_VALUE && stateMinute > savedMinute;
    }

    /**
     * Saves every detector's state at {@code stateMinute}, replacing the saved one unless that is newer
     * (another instance evaluated further), in its own transaction.
     */
    void save() throws SQLException {
        long t0 = System.nanoTime();
        long minute = stateMinute;
        long bytes = store.saveStates(minute, stateKey, () -> states.values().stream()
                .filter(st -> st.detector.lastMinute() <= minute)
                .map(st -> Map.entry(st.serviceId, st.detector.state())).iterator());
        if (bytes < 0) {
            return;
        }
        savedMinute = minute;
        LOG.infof("Detection: saved the state of %d services (%d KB) in %d ms", states.size(), bytes / 1024,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private State state(int serviceId) {
        return states.computeIfAbsent(serviceId, id -> new State(id, new Detector(settings, 1), closeAfterMinutes));
    }

    /**
     * Feeds minutes [from, to] to every service's detector; with {@code live}, follows incidents as they
     * will be written and keeps the bounds of the last minute. What each detector is fed, and the level
     * followed, go through the distinct-network rule ({@link NetworkGate}), whose window is read first when
     * it does not go on from the last minute it saw.
     */
    void feed(Connection c, long from, long to, boolean live) throws SQLException {
        for (Service s : catalog.services()) {
            state(s.id);
        }
        long first = gate.continuesAt(from) ? from : from - gate.windowMinutes() + 1;
        if (first < from) {
            gate.reset();
        }
        try (NetworkGate.Sketches sketches = new NetworkGate.Sketches(c, first, to)) {
            for (long m = first; m < from; m++) {
                gate.remember(m, sketches.minute(m));
            }
            store.readMinutes(c, from, to, (m, counts) -> {
                Map<Integer, long[]> minuteSketches;
                try {
                    minuteSketches = sketches.minute(m);
                } catch (SQLException e) {
                    throw new IllegalStateException("Detection: cannot read the network sketches", e);
                }
                for (Integer id : counts.keySet()) {
                    state(id);
                }
                boolean bounds = m == to;
                for (State st : states.values()) {
                    if (st.detector.lastMinute() >= m) {
                        continue;
                    }
                    int fed = gate.fed(st.serviceId, m, counts.getOrDefault(st.serviceId, 0), minuteSketches.get(st.serviceId),
                            st.detector::countSince);
                    st.last = gate.cap(st.serviceId, st.detector.step(m, fed, bounds));
                    Tracked ended = st.incident.follow(st.last, st.detector::countSince, live);
                    if (ended != null && live) {
                        closed.put(ended, st.serviceId);
                    }
                }
                gate.endMinute(m);
                stateMinute = m;
            });
        }
    }

    /**
     * Services were merged: the merged services' detectors go, and each target's detector relearns from its
     * merged series (the last {@code replay} minutes up to the state's minute), keeping its incident.
     */
    void relearnMerged(Connection c, Map<Integer, Integer> merged, long replay) throws SQLException {
        merged.keySet().forEach(states::remove);
        if (stateMinute == Long.MIN_VALUE) {
            return; // not warmed up yet: the warm-up reads the merged series anyway
        }
        long from = stateMinute - replay + 1;
        for (int target : new java.util.TreeSet<>(merged.values())) {
            Map<Long, Integer> counts = store.serviceMinutes(c, target, from, stateMinute);
            State fresh = new State(target, new Detector(settings, 1), closeAfterMinutes);
            for (long m = from; m <= stateMinute; m++) {
                fresh.last = fresh.detector.step(m, counts.getOrDefault(m, 0), m == stateMinute);
            }
            State old = states.get(target);
            if (old != null) {
                fresh.incident.adopt(old.incident.open(), stateMinute);
            }
            states.put(target, fresh);
        }
    }

    /** The database knows best which incidents are open: adopt those, forget the others. */
    void adoptOpenIncidents(Connection c) throws SQLException {
        closed.clear();
        Map<Integer, Tracked> open = store.openIncidents(c);
        for (State st : states.values()) {
            st.incident.adopt(open.get(st.serviceId), stateMinute);
        }
    }

    /** Writes the incidents closed during this evaluation and the open ones that changed. */
    void flushIncidents(Connection c) throws SQLException {
        Map<Tracked, Integer> all = new HashMap<>(closed);
        for (State st : states.values()) {
            Tracked t = st.incident.open();
            if (t != null && t.dirty) {
                all.put(t, st.serviceId);
            }
        }
        for (Map.Entry<Tracked, Integer> e : all.entrySet()) {
            store.writeIncident(c, e.getValue(), e.getKey());
        }
        closed.clear();
    }

    /** Writes {@code service_status} of the services evaluated at {@code target}. */
    void writeStatus(Connection c, long target) throws SQLException {
        List<DetectionStore.Evaluated> evaluated = states.values().stream().filter(s -> s.last != null && s.last.minute() == target)
                .map(s -> new DetectionStore.Evaluated(s.serviceId, s.last)).toList();
        store.writeStatus(c, target, evaluated);
    }
}
