package org.downwatch.notice;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of an owner's notice. Times are strings so that a bad one is named in the problem's errors. */
@Schema(name = "NoticeRequest", description = "An official notice: a kind, a message in French and/or English, and for "
        + "maintenance the window")
public record NoticeInput(
        @Schema(required = true, enumeration = { "investigating", "identified", "monitoring", "resolved", "maintenance" })
        String kind,
        @Schema(required = true, description = "fr and/or en (at least one), each at most 1000 characters; no control or "
                + "bidirectional formatting characters (line breaks are kept)") Text message,
        @Schema(description = "Maintenance only (required then): the window's start, ISO-8601, not more than a day ago "
                + "and at most a year ahead", example = "2026-12-05T01:00:00Z") String startsAt,
        @Schema(description = "Maintenance only (required then): the window's end, after its start, at most 7 days later",
                example = "2026-12-05T04:00:00Z") String endsAt) {

    @Schema(name = "NoticeText", description = "A message in French and/or English")
    public record Text(@Schema(example = "Le suivi des colis est indisponible, nous travaillons à le rétablir.") String fr,
            @Schema(example = "Parcel tracking is unavailable; we are working on it.") String en) {
    }
}
