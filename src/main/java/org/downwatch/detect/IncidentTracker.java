package org.downwatch.detect;

import java.util.function.LongToIntFunction;

/**
 * The incident of one service, followed minute by minute from its detector's verdicts: opened at a
 * {@code problem} (from its onset), its reports and peak counted while the level is not {@code none},
 * closed after {@code closeAfterMinutes} quiet minutes (ending after its last abnormal minute). Plain Java:
 * the database writes are {@link DetectionStore}'s.
 */
final class IncidentTracker {

    /** An incident as the tracker follows it; {@code dirty} when the database does not have it yet. */
    static final class Tracked {
        Long id;
        long started;
        long detected;
        long peakAt;
        int peakCount;
        double peakScore;
        int reportCount;
        long lastAbnormal;
        /** Reports of the quiet minutes since the last abnormal one: counted if it turns abnormal again. */
        int pending;
        Long ended;
        boolean dirty = true;

        /** The end of the reports it counts (exclusive): its end, or the minute after the last one it knows. */
        long countedUntil() {
            return ended != null ? ended : Math.max(lastAbnormal, detected) + 1;
        }
    }

    private final long closeAfterMinutes;
    private Tracked open;

    IncidentTracker(long closeAfterMinutes) {
        this.closeAfterMinutes = closeAfterMinutes;
    }

    /** The incident the service is in, or null. */
    Tracked open() {
        return open;
    }

    /**
     * Follows the minute's verdict; {@code reportsSince} counts the reports fed from a minute on (for the
     * reports before the detection). Answers the incident this verdict closed, or null. Without {@code live}
     * (a silent feed: the database has the truth) the incident it follows is not marked dirty.
     */
    Tracked follow(Detector.Verdict v, LongToIntFunction reportsSince, boolean live) {
        long m = v.minute();
        Tracked t = open;
        if (t == null) {
            if (!v.problem()) {
                return null;
            }
            t = new Tracked();
            t.started = v.onset() >= 0 ? v.onset() : m;
            t.detected = m;
            t.reportCount = reportsSince.applyAsInt(t.started);
            t.peakAt = m;
            t.peakCount = v.count();
            t.peakScore = v.score();
            t.lastAbnormal = m;
            open = t;
            return null;
        }
        Tracked closed = null;
        t.dirty = true;
        if (v.level() != Level.NONE) {
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
            if (m - t.lastAbnormal >= closeAfterMinutes) {
                t.ended = t.lastAbnormal + 1;
                closed = t;
                open = null;
            }
        }
        if (!live && open != null) {
            open.dirty = false;
        }
        return closed;
    }

    /**
     * The database knows best which incident is open: adopts {@code stored} (or none: one only in memory was
     * closed, or never written, by someone else), with what this tracker knows of the quiet minutes since,
     * or from {@code minute} when it followed none.
     */
    void adopt(Tracked stored, long minute) {
        if (stored != null) {
            stored.lastAbnormal = open != null ? open.lastAbnormal : minute;
            stored.pending = open != null ? open.pending : 0;
        }
        open = stored;
    }
}
