package org.downwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.downwatch.detect.IncidentTracker.Tracked;
import org.junit.jupiter.api.Test;

/** The incident state machine on hand-made verdicts (plain JUnit). */
class IncidentTrackerTest {

    static final long M = 29_000_000;
    static final int CLOSE_AFTER = 30;

    final IncidentTracker tracker = new IncidentTracker(CLOSE_AFTER);

    static Detector.Verdict verdict(long minute, int count, double score, Level level, long onset) {
        return new Detector.Verdict(minute, count, 1, 5, score, level, onset, count, 15, 20, 15);
    }

    /** Follows the verdict live; the reports before the detection are 7 per minute from the onset. */
    Tracked follow(long minute, int count, Level level, long onset) {
        return tracker.follow(verdict(minute, count, level == Level.PROBLEM ? 1 : level == Level.POSSIBLE ? 0.7 : 0, level, onset),
                from -> (int) (7 * (minute - from + 1)), true);
    }

    @Test
    void aPossibleLevelOpensNoIncident() {
        assertNull(follow(M, 4, Level.POSSIBLE, M - 2));
        assertNull(tracker.open());
    }

    @Test
    void aProblemOpensAnIncidentFromItsOnsetWithTheReportsSince() {
        follow(M, 9, Level.PROBLEM, M - 3);
        Tracked t = tracker.open();
        assertNotNull(t);
        assertEquals(M - 3, t.started, "the onset, not the detection");
        assertEquals(M, t.detected);
        assertEquals(28, t.reportCount, "the reports of the 4 minutes from the onset");
        assertEquals(9, t.peakCount);
        assertEquals(M, t.peakAt);
        assertTrue(t.dirty, "to be written");
        assertNull(t.id);
    }

    @Test
    void withoutAnOnsetItStartsAtTheDetection() {
        follow(M, 9, Level.PROBLEM, -1);
        assertEquals(M, tracker.open().started);
    }

    @Test
    void countsReportsAndThePeakWhileAbnormal() {
        follow(M, 9, Level.PROBLEM, M);
        follow(M + 1, 15, Level.PROBLEM, M);
        follow(M + 2, 6, Level.POSSIBLE, M);
        Tracked t = tracker.open();
        assertEquals(7 + 15 + 6, t.reportCount);
        assertEquals(15, t.peakCount);
        assertEquals(M + 1, t.peakAt);
        assertEquals(1.0, t.peakScore);
        assertEquals(M + 2, t.lastAbnormal);
    }

    @Test
    void theReportsOfQuietMinutesCountOnlyIfItTurnsAbnormalAgain() {
        follow(M, 9, Level.PROBLEM, M);
        follow(M + 1, 2, Level.NONE, -1);
        follow(M + 2, 3, Level.NONE, -1);
        assertEquals(7, tracker.open().reportCount, "quiet minutes are pending");
        follow(M + 3, 10, Level.PROBLEM, M);
        assertEquals(7 + 2 + 3 + 10, tracker.open().reportCount);
    }

    @Test
    void closesAfterTheQuietMinutesEndingAfterTheLastAbnormalOne() {
        follow(M, 9, Level.PROBLEM, M);
        follow(M + 1, 9, Level.PROBLEM, M);
        for (long m = M + 2; m < M + 1 + CLOSE_AFTER; m++) {
            assertNull(follow(m, 1, Level.NONE, -1), "still open at " + (m - M));
        }
        Tracked t = tracker.open();
        Tracked closed = follow(M + 1 + CLOSE_AFTER, 1, Level.NONE, -1);
        assertSame(t, closed);
        assertEquals(M + 2, closed.ended);
        assertEquals(7 + 9, closed.reportCount, "the quiet minutes after it are not its reports");
        assertEquals(M + 2, closed.countedUntil());
        assertNull(tracker.open());
        assertNull(follow(M + 2 + CLOSE_AFTER, 9, Level.POSSIBLE, M), "a new possible opens nothing");
    }

    @Test
    void aSilentFeedLeavesTheOpenIncidentClean() {
        follow(M, 9, Level.PROBLEM, M);
        tracker.open().dirty = false;
        tracker.follow(verdict(M + 1, 9, 1, Level.PROBLEM, M), from -> 0, false);
        assertFalse(tracker.open().dirty, "the database has the truth");
        assertEquals(16, tracker.open().reportCount, "it is followed all the same");
        follow(M + 2, 9, Level.PROBLEM, M);
        assertTrue(tracker.open().dirty);
    }

    @Test
    void adoptsTheStoredIncidentWithTheQuietMinutesItKnows() {
        follow(M, 9, Level.PROBLEM, M);
        follow(M + 1, 2, Level.NONE, -1);
        Tracked stored = new Tracked();
        stored.id = 42L;
        stored.dirty = false;
        tracker.adopt(stored, M + 1);
        assertSame(stored, tracker.open());
        assertEquals(M, stored.lastAbnormal);
        assertEquals(2, stored.pending);

        IncidentTracker fresh = new IncidentTracker(CLOSE_AFTER);
        Tracked other = new Tracked();
        fresh.adopt(other, M + 5);
        assertEquals(M + 5, other.lastAbnormal, "quiet from the last minute fed, as far as this instance knows");
        assertEquals(0, other.pending);

        tracker.adopt(null, M + 1);
        assertNull(tracker.open(), "closed, or never written, by someone else");
    }
}
