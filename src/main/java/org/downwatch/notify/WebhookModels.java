package org.downwatch.notify;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the webhook API and of the deliveries themselves. */
final class WebhookModels {

    private WebhookModels() {
    }

    @Schema(name = "WebhookSubscriptionRequest", description = "What to be told about, and where. Give service, or "
            + "category, or neither (everything).")
    record SubscriptionRequest(
            @Schema(description = "Where events are POSTed (http or https; public addresses only)", required = true,
                    example = "https://example.org/hooks/downwatch") String url,
            @Schema(description = "Only this service's incidents (its slug)", example = "la-poste") String service,
            @Schema(description = "Only incidents of services in this category (its slug)", example = "bank") String category,
            @Schema(description = "Least level that is sent: problem (default) or also possible",
                    enumeration = { "possible", "problem" }, defaultValue = "problem") String minLevel) {
    }

    @Schema(name = "WebhookSubscription", description = "A subscription (its secret is shown only when it is created)")
    record Subscription(
            long id, String url,
            @Schema(description = "The service's slug, or null") String service,
            @Schema(description = "The category's slug, or null") String category,
            @Schema(enumeration = { "possible", "problem" }) String minLevel,
            @Schema(description = "False once it was disabled after failing for too long") boolean enabled,
            Instant createdAt,
            @Schema(description = "When it was disabled, or null") Instant disabledAt,
            @Schema(description = "Failed attempts since the last successful delivery") int consecutiveFailures) {
    }

    @Schema(name = "WebhookSubscriptionCreated", description = "A new subscription, with its signing secret: keep it, it is "
            + "not shown again")
    record SubscriptionCreated(long id, String url, String service, String category, String minLevel, boolean enabled,
            Instant createdAt,
            @Schema(description = "Signing secret (whsec_ and base64): verifies webhook-signature",
                    example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") String secret) {
    }

    @Schema(name = "WebhookSubscriptionList")
    record SubscriptionList(List<Subscription> items) {
    }

    @Schema(name = "WebhookEvent", description = "The body of every delivery (Standard Webhooks: type, timestamp, data). "
            + "Headers: webhook-id (the same for every attempt of one event), webhook-timestamp (Unix seconds), "
            + "webhook-signature (v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">).")
    record Event(
            @Schema(enumeration = { "incident.opened", "incident.updated", "incident.closed", "notice.posted" }) String type,
            @Schema(description = "When the event happened") Instant timestamp,
            @Schema(description = "WebhookIncidentData for incident.*, WebhookNoticeData for notice.posted",
                    oneOf = { IncidentData.class, NoticeData.class }) Object data) {
    }

    @Schema(name = "WebhookNoticeData", description = "An official notice, posted by the service's verified owner "
            + "(notice.posted: sent to every enabled subscription covering the service, whatever its minLevel)")
    record NoticeData(
            @Schema(description = "The notice's id (GET /api/v1/services/{slug}/notices/{id})") long noticeId,
            @Schema(description = "The service's slug") String service,
            String serviceName,
            @Schema(description = "The service's category (slug)") String category,
            @Schema(enumeration = { "investigating", "identified", "monitoring", "resolved", "maintenance" }) String kind,
            @Schema(description = "The message as posted, per language (either may be null)") Messages message,
            @Schema(description = "Maintenance only: the window", nullable = true) Instant startsAt,
            @Schema(nullable = true) Instant endsAt,
            Instant postedAt,
            @Schema(description = "The service's page") String url) {
    }

    @Schema(name = "WebhookNoticeMessage")
    record Messages(@Schema(nullable = true) String fr, @Schema(nullable = true) String en) {
    }

    @Schema(name = "WebhookIncidentData", description = "The incident as it was when the event happened")
    record IncidentData(
            @Schema(description = "The incident's id (GET /api/v1/incidents/{id})") long incidentId,
            @Schema(description = "The service's slug") String service,
            String serviceName,
            @Schema(description = "The service's category (slug)") String category,
            @Schema(description = "The service's level now", enumeration = { "possible", "problem" }) String level,
            @Schema(description = "Of an update: a new peak, or the level changed", enumeration = { "peak", "level" },
                    nullable = true) String reason,
            Instant startedAt, Instant detectedAt,
            @Schema(nullable = true) Instant peakAt,
            @Schema(description = "Reports in the peak minute", nullable = true) Integer peakCount,
            @Schema(description = "Null while open", nullable = true) Instant endedAt,
            int reportCount,
            @Schema(description = "The service's page") String url) {
    }

    @Schema(name = "WebhookDelivery", description = "One event sent (or being sent) to one subscription")
    record Delivery(
            long id,
            @Schema(description = "The webhook-id header") String messageId,
            String type,
            @Schema(enumeration = { "pending", "delivered", "failed" }) String status,
            int attempts, Instant createdAt,
            @Schema(nullable = true) Instant lastAttemptAt,
            @Schema(description = "HTTP status of the last attempt", nullable = true) Integer lastStatus,
            @Schema(nullable = true) String lastError,
            @Schema(description = "While pending: when the next attempt is due", nullable = true) Instant nextAttemptAt,
            @Schema(nullable = true) Instant deliveredAt,
            @Schema(description = "The body sent") Event event) {
    }

    @Schema(name = "WebhookDeliveryList", description = "Recent deliveries, newest first")
    record DeliveryList(List<Delivery> items,
            @Schema(type = SchemaType.INTEGER, description = "At most this many") int size) {
    }
}
