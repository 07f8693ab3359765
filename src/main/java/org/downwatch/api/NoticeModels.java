package org.downwatch.api;

import java.time.Instant;
import java.util.List;
import org.downwatch.notice.Notice;
import org.downwatch.notice.Notices;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the official notices API and of the owner keys' admin API. */
final class NoticeModels {

    private NoticeModels() {
    }

    @Schema(name = "Notice", description = "An official notice from the service's verified owner. It sits beside the "
            + "crowd's reports and changes none of their counts.")
    record NoticeJson(long id,
            @Schema(description = "The service's slug") String service,
            @Schema(enumeration = { "investigating", "identified", "monitoring", "resolved", "maintenance" }) String kind,
            @Schema(description = "The kind in the request's language", example = "Identified") String kindLabel,
            @Schema(description = "The message in the request's language, else in the other one") String message,
            @Schema(description = "The language of message", enumeration = { "fr", "en" }) String messageLang,
            @Schema(description = "The message as posted, per language") Texts messages,
            @Schema(description = "Maintenance only: the window's start", nullable = true) Instant startsAt,
            @Schema(description = "Maintenance only: the window's end", nullable = true) Instant endsAt,
            Instant postedAt,
            @Schema(description = "Always true: posted with the service's owner key") boolean official) {

        static NoticeJson of(Notice n, String slug, String lang) {
            return new NoticeJson(n.id, slug, n.kind, Notices.kindLabel(n.kind, lang), n.message(lang), n.messageLang(lang),
                    new Texts(n.messageFr, n.messageEn), n.startsAt, n.endsAt, n.postedAt, true);
        }
    }

    @Schema(name = "NoticeTexts")
    record Texts(@Schema(nullable = true) String fr, @Schema(nullable = true) String en) {
    }

    @Schema(name = "NoticePage", description = "One page of a service's notices, newest first")
    record NoticePage(List<NoticeJson> items, int page, int size, long total) {
    }

    @Schema(name = "OwnerKeyRequest")
    record OwnerKeyRequest(@Schema(required = true, description = "Who holds the key (1 to 100 characters)",
            example = "La Poste — service communication") String name) {
    }

    @Schema(name = "OwnerKeyCreated", description = "An owner key: shown only here, Downwatch keeps its SHA-256. Sent as "
            + "Authorization: Bearer <key> to post the service's official notices.")
    record OwnerKeyCreated(long id, @Schema(description = "The service's slug") String service, String name,
            @Schema(example = "dw_7Hq2y0bVQ3m1k5mJp0hXw8gA2fKc9Rz4tLs6nUe1dYo") String key, Instant createdAt) {
    }
}
