package org.downwatch.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.downwatch.detect.Incident;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.junit.jupiter.api.Test;

/** The notice rules without a database: validation, the maintenance label and the company's delay. */
class NoticesTest {

    static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");

    static List<String> fields(NoticeInput in) {
        ProblemException e = assertThrows(ProblemException.class, () -> Notices.validate(in, NOW));
        assertEquals(400, e.problem().status());
        return e.problem().errors().stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void namesEveryBadField() {
        assertEquals(List.of("kind", "message"), fields(new NoticeInput("panic", null, null, null)));
        assertEquals(List.of("message"), fields(new NoticeInput("identified", new NoticeInput.Text(" ", null), null, null)));
        assertEquals(List.of("message.en"), fields(new NoticeInput("identified", new NoticeInput.Text("ok", "x".repeat(1001)), null, null)));
        assertEquals(List.of("message.fr"), fields(new NoticeInput("identified", new NoticeInput.Text("a\u0007b", null), null, null)));
        assertEquals(List.of("message.fr"), fields(new NoticeInput("identified", new NoticeInput.Text("evil\u202Etxt", null), null, null)));
        assertEquals(List.of("startsAt"), fields(new NoticeInput("identified", new NoticeInput.Text("ok", null), "2026-12-04T09:00:00Z", null)));
        assertEquals(List.of("startsAt", "endsAt"), fields(new NoticeInput("maintenance", new NoticeInput.Text("ok", null), null, "tomorrow")));
        assertEquals(List.of("endsAt"), fields(new NoticeInput("maintenance", new NoticeInput.Text("ok", null),
                "2026-12-04T09:00:00Z", "2026-12-04T09:00:00Z")));
        assertEquals(List.of("endsAt"), fields(new NoticeInput("maintenance", new NoticeInput.Text("ok", null),
                "2026-12-04T09:00:00Z", "2026-12-11T09:01:00Z")));
        assertEquals(List.of("startsAt"), fields(new NoticeInput("maintenance", new NoticeInput.Text("ok", null),
                "2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z")));
    }

    @Test
    void keepsLineBreaksAndAcceptsEitherLanguage() {
        Notice n = Notices.validate(new NoticeInput("maintenance", new NoticeInput.Text(null, "  Line one\r\nline two "),
                "2026-12-04T09:00:00+01:00", "2026-12-04T12:00:00Z"), NOW);
        assertNull(n.messageFr);
        assertEquals("Line one\nline two", n.messageEn);
        assertEquals(Instant.parse("2026-12-04T08:00:00Z"), n.startsAt);
        assertEquals("Line one\nline two", n.message("fr"), "falls back to the other language");
        assertEquals("en", n.messageLang("fr"));
    }

    static Incident incident(Instant start, Instant detected, Instant end) {
        Incident i = new Incident();
        i.id = 1L;
        i.serviceId = 7;
        i.startedAt = start;
        i.detectedAt = detected;
        i.endedAt = end;
        return i;
    }

    static Notice notice(String kind, Instant posted, Instant start, Instant end) {
        Notice n = new Notice();
        n.serviceId = 7;
        n.kind = kind;
        n.postedAt = posted;
        n.startsAt = start;
        n.endsAt = end;
        return n;
    }

    @Test
    void labelsMaintenanceOnlyForAWindowDeclaredBeforeTheIncidentWasFound() {
        Incident i = incident(NOW, NOW.plusSeconds(300), null);
        Notice before = notice("maintenance", NOW.minusSeconds(3600), NOW.minusSeconds(600), NOW.plusSeconds(3600));
        Notice after = notice("maintenance", NOW.plusSeconds(900), NOW.minusSeconds(600), NOW.plusSeconds(3600));
        Notice elsewhere = notice("maintenance", NOW.minusSeconds(3600), NOW.plusSeconds(3600), NOW.plusSeconds(7200));
        assertTrue(Notices.notes(i, List.of(before)).maintenance());
        assertFalse(Notices.notes(i, List.of(after)).maintenance(), "a window declared afterwards relabels nothing");
        assertFalse(Notices.notes(i, List.of(elsewhere)).maintenance());
    }

    @Test
    void measuresTheDelayToTheFirstNoticeDuringTheIncident() {
        Incident i = incident(NOW, NOW.plusSeconds(300), NOW.plusSeconds(7200));
        IncidentNotes n = Notices.notes(i, List.of(notice("investigating", NOW.minusSeconds(60), null, null),
                notice("monitoring", NOW.plusSeconds(3000), null, null), notice("identified", NOW.plusSeconds(1380), null, null),
                notice("resolved", NOW.plusSeconds(9000), null, null)));
        assertEquals(Duration.ofMinutes(23), n.firstNoticeAfter());
        assertEquals("23 min", n.delay("en"));
        assertNull(Notices.notes(i, List.of(notice("resolved", NOW.plusSeconds(9000), null, null))).firstNoticeAfter());
        assertEquals("1 h 05 min", Official.duration(Duration.ofMinutes(65), "fr"));
        assertEquals("2 j 3 h", Official.duration(Duration.ofHours(51), "fr"));
    }

    @Test
    void refusesControlAndBidiCharacters() {
        assertTrue(Notices.hasForbidden("a\u0000"));
        assertTrue(Notices.hasForbidden("a\u2067b"));
        assertTrue(Notices.hasForbidden("tab\there"));
        assertFalse(Notices.hasForbidden("Colis : « retard » — 20 %\nmerci"));
    }
}
