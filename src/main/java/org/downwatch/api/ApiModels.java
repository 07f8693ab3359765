package org.downwatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON bodies of the public API v1 (camelCase, ISO-8601 UTC instants, shares in [0, 1]). */
final class ApiModels {

    private ApiModels() {
    }

    @Schema(name = "ServiceSummary", description = "A service in a list, with its current level")
    record ServiceSummary(String slug, String name, String category,
            @Schema(description = "ISO 3166-1 alpha-2 country where the service is national; null when worldwide") String country,
            String websiteUrl,
            @Schema(enumeration = { "none", "possible", "problem" }) String level) {
    }

    @Schema(name = "ServicePage", description = "One page of services")
    record ServiceList(List<ServiceSummary> items, int page, int size, long total) {
    }

    @Schema(name = "Service", description = "A service, what can be reported about it, and its current status")
    record ServiceDetail(String slug, String name, String category, String country, String websiteUrl,
            List<ProblemTypeJson> problemTypes, StatusJson status,
            @Schema(description = "The two sides of the last hour: reports of problems and people saying it works") LastHourJson lastHour) {
    }

    @Schema(name = "LastHour", description = "Over [from, to), the last 60 finished minutes: reports of a problem, and "
            + "people who said the service works for them (shown beside the reports, never counted by the detector)")
    record LastHourJson(Instant from, Instant to, int reports, int works) {
    }

    @Schema(name = "ProblemType", description = "Something that can go wrong, labelled in the request's language")
    record ProblemTypeJson(String slug, String label) {
    }

    @Schema(name = "Status", description = "The detector's latest verdict over the last windowMinutes")
    record StatusJson(@Schema(enumeration = { "none", "possible", "problem" }) String level,
            @Schema(description = "Estimated onset of the current possible/problem level; null when none") Instant since,
            @Schema(description = "Reports in the window") int observed,
            @Schema(description = "Usual reports in the window") double expected,
            @Schema(description = "Above this count the window is anomalous") double upper,
            int windowMinutes,
            @Schema(description = "Distinct wide networks (IPv4 /24, IPv6 /48) the reports of the last hour come from "
                    + "(estimated, at most 1000); a level needs at least 5. Null when unknown (no report in the hour).")
            Integer networks) {
    }

    @Schema(name = "Category")
    record CategoryJson(String slug, @Schema(description = "In the request's language") String name,
            @Schema(description = "Number of services in the category") int services) {
    }

    @Schema(name = "Series", description = "Report counts per UTC-aligned bucket")
    record SeriesBody(String service, Instant from, Instant to, @Schema(example = "PT5M") String bucket,
            List<PointJson> points) {
    }

    @Schema(name = "SeriesPoint")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PointJson(Instant start, int count,
            @Schema(description = "Usual count for this bucket; absent while the detector has evaluated none of its minutes") Double baseline,
            @Schema(description = "Count above which the bucket is anomalous; absent with the baseline") Double upper,
            @Schema(description = "Present and true for the current, unfinished bucket") Boolean partial,
            @Schema(description = "People who said the service works for them in this bucket (not part of count, baseline "
                    + "or detection)") int works) {
    }

    @Schema(name = "ProblemCounts", description = "Reports per problem type over [from, to)")
    record ProblemsBody(String service, Instant from, Instant to, int total, List<ProblemShareJson> problems) {
    }

    @Schema(name = "ProblemShare")
    record ProblemShareJson(String slug, String label, int count,
            @Schema(description = "Fraction of the reports, in [0, 1]") double share) {
    }

    @Schema(name = "Incident", description = "An outage as people reported it")
    record IncidentJson(long id, @Schema(description = "The service's slug") String service,
            @Schema(description = "Estimated onset") Instant startedAt, Instant detectedAt, Instant peakAt,
            @Schema(description = "Reports in the peak minute") Integer peakCount,
            @Schema(description = "Null while open") Instant endedAt, boolean open, int reportCount,
            List<ProblemShareJson> problems,
            @Schema(description = "Detected during a maintenance window the service's owner had declared before; the "
                    + "counts are the crowd's, unchanged") boolean maintenance,
            @Schema(description = "How long after the start the owner posted its first official notice (ISO-8601 "
                    + "duration); null when it said nothing during the incident", type = SchemaType.STRING,
                    example = "PT23M", nullable = true) Duration firstNoticeAfter) {
    }

    @Schema(name = "IncidentPage", description = "One page of incidents, newest first")
    record IncidentPage(List<IncidentJson> items, int page, int size, long total) {
    }

    @Schema(name = "ApiKeyRequest")
    record ApiKeyRequest(@NotBlank @Size(max = 100) String name,
            @Positive @Schema(description = "Requests per period; the configured default when absent") Integer rateLimit) {
    }

    @Schema(name = "ApiKeyCreated", description = "The key itself is shown only here: only its hash is kept")
    record ApiKeyCreated(long id, String name, String key, Integer rateLimit, Instant createdAt) {
    }
}
