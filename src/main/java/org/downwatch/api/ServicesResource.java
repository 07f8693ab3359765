package org.downwatch.api;

import org.downwatch.detect.SeriesPoint;
import org.downwatch.report.WorksCounts;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.downwatch.api.ApiModels.PointJson;
import org.downwatch.api.ApiModels.ProblemsBody;
import org.downwatch.api.ApiModels.SeriesBody;
import org.downwatch.api.ApiModels.ServiceDetail;
import org.downwatch.api.ApiModels.ServiceList;
import org.downwatch.api.ApiModels.ServiceSummary;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.SeriesReader;
import org.downwatch.detect.ServiceStatus;
import org.downwatch.detect.StatusReader;
import org.downwatch.shared.Lang;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@RateLimited
@PublicCache
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Services", description = "Services, their status, report series and problem types")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = ApiRateLimit.API_KEY_HEADER, description = "Optional everywhere: an API key raises the rate limits "
                + "(RateLimit-* headers on every answer, 429 with Retry-After over the limit)")
public class ServicesResource {

    static final Set<String> STATUS_FILTERS = Set.of("none", "possible", "problem", "problems");

    private final Catalog catalog;
    private final StatusReader statuses;
    private final SeriesReader series;
    private final ApiViews views;
    private final IncidentFeed feed;
    private final WorksCounts works;

    private final SnapshotJson snapshot;

    ServicesResource(Catalog catalog, StatusReader statuses, SeriesReader series, ApiViews views, IncidentFeed feed,
            WorksCounts works, SnapshotJson snapshot) {
        this.works = works;
        this.snapshot = snapshot;
        this.catalog = catalog;
        this.statuses = statuses;
        this.series = series;
        this.views = views;
        this.feed = feed;
    }

    @GET
    @Operation(summary = "List services", description = "Search, filter and page through services, by name "
            + "(best matches first when searching). status=problems selects services at possible or problem now. The level is the one the pages show: the detector's, problem while an incident is open, at least possible while the count is above its upper bound.")
    @APIResponse(responseCode = "200", description = "One page of services; Link headers point to the next and previous pages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceList.class)))
    @APIResponse(responseCode = "400", description = "Invalid parameter (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<ServiceList> list(
            @Parameter(description = "Text in the name or slug, ignoring case and accents", example = "poste") @QueryParam("q") String q,
            @Parameter(description = "Category slug (see /api/v1/categories)", example = "postal") @QueryParam("category") String category,
            @Parameter(description = "Current level: none, possible, problem, or problems (possible or problem)",
                    schema = @Schema(enumeration = { "none", "possible", "problem", "problems" })) @QueryParam("status") String status,
            @Parameter(description = "Page number, from 1", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1")) @QueryParam("page") String page,
            @Parameter(description = "Page size, at most 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size,
            UriInfo uri) {
        Params.PageRequest p = Params.page(page, size);
        String level = Params.oneOf("status", status, STATUS_FILTERS);
        if (category != null && !category.isBlank() && catalog.category(category.trim()).isEmpty()) {
            throw ProblemException.invalid("category", "unknown category (see /api/v1/categories)");
        }
        Map<Integer, ServiceStatus> all = statuses.shownAll(); // the pages' level rule
        Predicate<Service> inCategory = s -> category == null || category.isBlank() || s.category.equals(category.trim());
        List<ServiceSummary> matching = (q == null || q.isBlank() ? catalog.services() : catalog.search(q)).stream()
                .filter(inCategory)
                .map(s -> ApiViews.summary(s, all.getOrDefault(s.id, ServiceStatus.unknown(s.id))))
                .filter(s -> level == null || level.equals(s.level())
                        || ("problems".equals(level) && !ServiceStatus.NONE.equals(s.level())))
                .toList();
        int from = (int) Math.min(p.offset(), matching.size());
        int to = Math.min(from + p.size(), matching.size());
        RestResponse.ResponseBuilder<ServiceList> b = RestResponse.ResponseBuilder
                .ok(new ServiceList(matching.subList(from, to), p.page(), p.size(), matching.size()));
        Links.pages(uri, p, matching.size()).forEach(l -> b.header(HttpHeaders.LINK, l));
        return b.build();
    }

    @GET
    @Path("/{slug}")
    @Operation(summary = "Get a service", description = "The service, the problem types people can report "
            + "(labelled in the request's language) and its current status")
    @APIResponse(responseCode = "200", description = "The service",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ServiceDetail.class)))
    @APIResponse(responseCode = "404", description = "No service has this slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            @Context Request request, @Context HttpHeaders headers) {
        Service s = catalog.require(slug);
        String l = Lang.resolve(lang, acceptLanguage);
        // served from the per-minute snapshot, as the service's page
        return snapshot.serve("detail " + s.slug + " " + l, Lang.supported(lang) == null, request, headers,
                now -> views.detail(s, l));
    }

    @GET
    @Path("/{slug}/series")
    @Operation(summary = "Report counts over time", description = "Reports per UTC-aligned bucket over [from, to), with "
            + "the usual count (baseline) and the count above which a bucket is anomalous (upper). No bucket starts "
            + "after now; the current, unfinished bucket has partial: true, and its count and baseline cover its minutes so far. "
            + "works is the number of people who said the service works for them (never part of count or detection). "
            + "The range is at most 31 days.")
    @APIResponse(responseCode = "200", description = "The series",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SeriesBody.class)))
    @APIResponse(responseCode = "400", description = "Invalid from, to or bucket (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No service has this slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response series(
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Start (ISO-8601 instant); default 24 hours before to, rounded down to the bucket", example = "2026-01-05T00:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "End, exclusive (ISO-8601 instant); default now", example = "2026-01-06T00:00:00Z") @QueryParam("to") String to,
            @Parameter(description = "Bucket size", schema = @Schema(enumeration = { "PT1M", "PT5M", "PT15M", "PT1H" }, defaultValue = "PT5M")) @QueryParam("bucket") String bucket,
            @Context Request request, @Context HttpHeaders headers) {
        Service s = catalog.require(slug);
        Duration b = Params.bucket(bucket);
        if (from == null && to == null && bucket == null) {
            // the default series (the last 24 hours) is what a crowd asks for: from the per-minute snapshot
            return snapshot.serve("series " + s.slug, false, request, headers, now -> seriesBody(s, b, Params.range(null, null, now, b), now));
        }
        Instant now = Instant.now();
        return Response.ok(seriesBody(s, b, Params.range(from, to, now, b), now), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private SeriesBody seriesBody(Service s, Duration b, Params.Range range, Instant now) {
        List<SeriesPoint> counted = series.series(s.id, range.from(), range.to(), b, now);
        Map<Long, Integer> works = counted.isEmpty() ? Map.of()
                : this.works.buckets(s.id, counted.get(0).start(), range.to().isAfter(now) ? now : range.to(), b.getSeconds());
        List<PointJson> points = counted.stream()
                .map(p -> new PointJson(p.start(), p.count(), p.baseline(), p.upper(), p.partial() ? Boolean.TRUE : null,
                        works.getOrDefault(p.start().getEpochSecond(), 0)))
                .toList();
        return new SeriesBody(s.slug, range.from(), range.to(), b.toString(), points);
    }

    @GET
    @Path("/{slug}/problems")
    @Operation(summary = "Reports per problem type", description = "Count and share (a fraction in [0, 1]) of the "
            + "reports per problem type over [from, to); every problem type the service offers is listed, most "
            + "reported first. The range is at most 31 days.")
    @APIResponse(responseCode = "200", description = "Counts per problem type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProblemsBody.class)))
    @APIResponse(responseCode = "400", description = "Invalid from or to (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No service has this slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProblemsBody problems(
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Start (ISO-8601 instant); default 24 hours before to") @QueryParam("from") String from,
            @Parameter(description = "End, exclusive (ISO-8601 instant); default now") @QueryParam("to") String to,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Service s = catalog.require(slug);
        Params.Range range = Params.range(from, to, Instant.now(), Duration.ofMinutes(1));
        Map<Integer, Integer> counts = series.problemCounts(s.id, range.from(), range.to());
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        return new ProblemsBody(s.slug, range.from(), range.to(), total,
                views.shares(s.id, counts, Lang.resolve(lang, acceptLanguage), true));
    }

    @GET
    @Path("/{slug}/incidents.atom")
    @Produces(IncidentFeed.ATOM)
    @Operation(summary = "Atom feed of a service's incidents", description = "The latest incidents of the service and its "
            + "official notices, newest first (Atom 1.0); notices in the request's language (?lang= or Accept-Language)")
    @APIResponse(responseCode = "200", description = "The feed", content = @Content(mediaType = IncidentFeed.ATOM,
            schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No service has this slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public String feed(@Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Language of the notices: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            UriInfo uri) {
        return feed.render(catalog.require(slug), uri, Lang.resolve(lang, null, acceptLanguage));
    }

}
