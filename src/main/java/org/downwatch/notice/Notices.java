package org.downwatch.notice;

import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.downwatch.catalog.Service;
import org.downwatch.detect.Incident;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/**
 * Verified owners and their official notices: owner keys (created by the admin, bound to one service, stored
 * as SHA-256), posting a notice (validated: nothing is stored from a bad body), and what notices say about
 * incidents (maintenance, and how long the company took to speak).
 */
@ApplicationScoped
public class Notices {

    public static final int MAX_MESSAGE = 1000;
    /** A maintenance window lasts at most this long. */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** A window may have started at most this long before it is declared... */
    public static final Duration MAX_PAST_START = Duration.ofDays(1);
    /** ...and start at most this far ahead. */
    public static final Duration MAX_FUTURE_START = Duration.ofDays(365);
    /** Notices shown on a service page: those of the last week, the latest first, at most this many. */
    static final int PAGE_NOTICES = 5;
    static final Duration PAGE_PERIOD = Duration.ofDays(7);
    static final Duration NEXT_WINDOW_AHEAD = Duration.ofDays(7);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key as created: its plain text is in this answer only. */
    public record CreatedKey(OwnerKey key, String plain) {
    }

    private final OwnerKeyRepository keys;
    private final NoticeRepository notices;

    Notices(OwnerKeyRepository keys, NoticeRepository notices) {
        this.keys = keys;
        this.notices = notices;
    }

    // -- owner keys

    @Transactional
    public CreatedKey createKey(Service service, String name) {
        if (name == null || name.isBlank() || name.strip().length() > 100 || hasForbidden(name)) {
            throw ProblemException.invalid("name", "who holds the key: 1 to 100 characters, no control characters");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String plain = "dw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerKey k = new OwnerKey();
        k.serviceId = service.id;
        k.name = name.strip();
        k.keyHash = sha256(plain);
        k.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        keys.persist(k);
        return new CreatedKey(k, plain);
    }

    /** Revokes an owner key of the service; false when it has no such active key. */
    @Transactional
    public boolean revokeKey(Service service, long id) {
        OwnerKey k = keys.findById(id);
        if (k == null || k.serviceId != service.id || k.revokedAt != null) {
            return false;
        }
        k.revokedAt = Instant.now();
        return true;
    }

    /**
     * The owner key of {@code Authorization: Bearer <key>}: 401 without a valid active key, 403 when the key
     * belongs to another service.
     */
    @Transactional
    public OwnerKey authorize(Service service, String authorization) {
        String plain = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        Optional<OwnerKey> key = wellFormed(plain) ? keys.findActive(sha256(plain)) : Optional.empty();
        if (key.isEmpty()) {
            throw new ProblemException(Problem.of(401, "Owner key required",
                    "Official notices are posted with the service's owner key: Authorization: Bearer <key>"),
                    Map.of("WWW-Authenticate", "Bearer realm=\"downwatch-owners\""));
        }
        if (key.get().serviceId != service.id) {
            throw new ProblemException(Problem.of(403, "Forbidden", "This owner key belongs to another service"));
        }
        return key.get();
    }

    static boolean wellFormed(String plain) {
        return plain != null && plain.length() == 46 && plain.startsWith("dw_")
                && plain.chars().skip(3).allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                        || c == '-' || c == '_');
    }

    // -- notices

    /** Validates and stores a notice (and, through the trigger, its webhook event in the same transaction). */
    @Transactional
    public Notice post(Service service, OwnerKey key, NoticeInput in) {
        Notice n = validate(in, Instant.now());
        n.serviceId = service.id;
        n.ownerKeyId = key.id;
        n.postedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        notices.persist(n);
        return n;
    }

    /** The notice a body describes, or a 400 naming every bad field. Pure: tested without a database. */
    static Notice validate(NoticeInput in, Instant now) {
        if (in == null) {
            throw ProblemException.invalid("body", "a JSON object with kind and message is required");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Notice n = new Notice();
        if (in.kind() == null || !Notice.KINDS.contains(in.kind())) {
            errors.add(new Problem.FieldError("kind", "one of " + String.join(", ", Notice.KINDS)));
        }
        n.kind = in.kind();
        if (in.message() == null) {
            errors.add(new Problem.FieldError("message", "an object with fr and/or en is required"));
        } else {
            n.messageFr = text("message.fr", in.message().fr(), errors);
            n.messageEn = text("message.en", in.message().en(), errors);
            if (n.messageFr == null && n.messageEn == null && errors.stream().noneMatch(e -> e.field().startsWith("message"))) {
                errors.add(new Problem.FieldError("message", "a message in French (fr) or English (en) is required"));
            }
        }
        if (Notice.MAINTENANCE.equals(in.kind())) {
            n.startsAt = instant("startsAt", in.startsAt(), errors);
            n.endsAt = instant("endsAt", in.endsAt(), errors);
            if (n.startsAt != null) {
                if (n.startsAt.isBefore(now.minus(MAX_PAST_START))) {
                    errors.add(new Problem.FieldError("startsAt", "must not be more than a day ago"));
                } else if (n.startsAt.isAfter(now.plus(MAX_FUTURE_START))) {
                    errors.add(new Problem.FieldError("startsAt", "must be within a year"));
                }
            }
            if (n.startsAt != null && n.endsAt != null) {
                if (!n.endsAt.isAfter(n.startsAt)) {
                    errors.add(new Problem.FieldError("endsAt", "must be after startsAt"));
                } else if (Duration.between(n.startsAt, n.endsAt).compareTo(MAX_WINDOW) > 0) {
                    errors.add(new Problem.FieldError("endsAt", "a maintenance window lasts at most 7 days"));
                }
            }
        } else {
            for (String[] f : new String[][] { { "startsAt", in.startsAt() }, { "endsAt", in.endsAt() } }) {
                if (f[1] != null) {
                    errors.add(new Problem.FieldError(f[0], "only a maintenance notice has a window"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid("The notice is not valid: " + errors.stream()
                    .map(e -> e.field() + " " + e.message()).reduce((a, b) -> a + "; " + b).orElse(""), errors));
        }
        return n;
    }

    private static String text(String field, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            return null;
        }
        String v = value.replace("\r\n", "\n").strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.codePointCount(0, v.length()) > MAX_MESSAGE) {
            errors.add(new Problem.FieldError(field, "at most " + MAX_MESSAGE + " characters"));
            return null;
        }
        if (hasForbidden(v)) {
            errors.add(new Problem.FieldError(field, "control and bidirectional formatting characters are not allowed"));
            return null;
        }
        return v;
    }

    /** Control characters (but a line break) and the bidirectional controls that can disguise a text. */
    static boolean hasForbidden(String s) {
        return s.codePoints().anyMatch(c -> c != '\n' && Character.getType(c) == Character.CONTROL
                || c == 0x061C || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069);
    }

    private static Instant instant(String field, String value, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "required for maintenance (ISO-8601, e.g. 2026-12-05T01:00:00Z)"));
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "not an ISO-8601 instant (e.g. 2026-12-05T01:00:00Z)"));
            return null;
        }
    }

    @Transactional
    public List<Notice> list(int serviceId, int pageIndex, int size) {
        return notices.page(serviceId, pageIndex, size);
    }

    @Transactional
    public long count(int serviceId) {
        return notices.countFor(serviceId);
    }

    @Transactional
    public Optional<Notice> get(int serviceId, long id) {
        return notices.findByIdOptional(id).filter(n -> n.serviceId == serviceId);
    }

    /** The service's notices posted before {@code before} (the feed). */
    @Transactional
    public List<Notice> recent(int serviceId, Instant before, int limit) {
        return notices.postedBefore(serviceId, before, limit);
    }

    // -- what notices say about incidents

    /** The notes of each incident (by id), from the notices posted before {@code asOf}. */
    @Transactional
    public Map<Long, IncidentNotes> notes(List<Incident> incidents, Instant asOf) {
        if (incidents.isEmpty()) {
            return Map.of();
        }
        Instant since = incidents.stream().map(i -> i.startedAt).min(Comparator.naturalOrder()).get();
        List<Integer> services = incidents.stream().map(i -> i.serviceId).distinct().toList();
        Map<Integer, List<Notice>> byService = new HashMap<>();
        for (Notice n : notices.bearingOn(services, since)) {
            if (n.postedAt.isBefore(asOf)) {
                byService.computeIfAbsent(n.serviceId, s -> new ArrayList<>()).add(n);
            }
        }
        Map<Long, IncidentNotes> out = new HashMap<>();
        for (Incident i : incidents) {
            out.put(i.id, notes(i, byService.getOrDefault(i.serviceId, List.of())));
        }
        return out;
    }

    /**
     * One incident's notes. It is labelled maintenance when it was detected inside a window that had been
     * declared before it was detected (a window declared afterwards relabels nothing). The company's delay is
     * from the incident's start to its first notice posted since then and before the incident ended.
     */
    static IncidentNotes notes(Incident i, List<Notice> list) {
        boolean maintenance = false;
        Instant first = null;
        for (Notice n : list) {
            if (n.covers(i.detectedAt) && !n.postedAt.isAfter(i.detectedAt)) {
                maintenance = true;
            }
            if (!n.postedAt.isBefore(i.startedAt) && (i.endedAt == null || !n.postedAt.isAfter(i.endedAt))
                    && (first == null || n.postedAt.isBefore(first))) {
                first = n.postedAt;
            }
        }
        return new IncidentNotes(maintenance, first,
                first == null ? null : Duration.between(i.startedAt, first).truncatedTo(ChronoUnit.SECONDS));
    }

    /** A service page's official part as of {@code now}: read once per page version. */
    @Transactional
    public Official page(int serviceId, List<Incident> incidents, Incident open, Instant now) {
        List<Notice> recent = notices.postedBefore(serviceId, now, PAGE_NOTICES + 1).stream()
                .filter(n -> n.postedAt.isAfter(now.minus(PAGE_PERIOD))).toList();
        boolean more = recent.size() > PAGE_NOTICES;
        List<Notice> shown = more ? recent.subList(0, PAGE_NOTICES) : recent;
        Notice current = null;
        Notice next = null;
        for (Notice w : notices.windows(serviceId, now, now)) {
            if (w.covers(now)) {
                current = current == null || w.endsAt.isAfter(current.endsAt) ? w : current;
            } else if (w.startsAt.isAfter(now) && w.startsAt.isBefore(now.plus(NEXT_WINDOW_AHEAD)) && next == null) {
                next = w;
            }
        }
        Map<Long, IncidentNotes> notes = notes(incidents, now);
        Duration delay = null;
        boolean spoke = false;
        if (open != null) {
            IncidentNotes o = notes.getOrDefault(open.id, IncidentNotes.NONE);
            spoke = o.firstNoticeAfter() != null;
            // found during a window the company had announced: it did speak, beforehand; no "no word yet"
            delay = spoke ? o.firstNoticeAfter() : o.maintenance() ? null : Duration.between(open.startedAt, now);
        }
        if (shown.isEmpty() && current == null && next == null && !spoke) {
            // a service whose owner never spoke: nothing to show beside the crowd's evidence
            delay = hasOwner(serviceId) ? delay : null;
        }
        return new Official(shown, more, current, next, notes, delay, spoke);
    }

    /** Whether the service has (or had) a verified owner: only then is its silence worth a line. */
    private boolean hasOwner(int serviceId) {
        return keys.count("serviceId", serviceId) > 0;
    }

    // -- labels

    public static OfficialMessages messages(String lang) {
        return MessageBundles.get(OfficialMessages.class, Localized.Literal.of("fr".equals(lang) ? "fr" : "en"));
    }

    public static String kindLabel(String kind, String lang) {
        OfficialMessages m = messages(lang);
        return switch (kind) {
            case "investigating" -> m.kind_investigating();
            case "identified" -> m.kind_identified();
            case "monitoring" -> m.kind_monitoring();
            case "resolved" -> m.kind_resolved();
            default -> m.kind_maintenance();
        };
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
