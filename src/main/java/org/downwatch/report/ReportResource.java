package org.downwatch.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** {@code POST /api/v1/services/{slug}/reports}: report a problem from a program. */
@Path("/api/v1/services/{slug}/reports")
@Tag(name = "Reports")
public class ReportResource {

    /** Larger bodies are refused (413); checked on Content-Length by {@link ReportBodyLimit} and on the body read. */
    public static final int MAX_BODY = 16 * 1024;

    /** The request body. */
    @Schema(name = "ReportRequest", description = "Only problem is required; the time is the server's.")
    public record ReportRequest(
            @Schema(required = true, description = "A problem type slug of the service", example = "parcel-tracking") String problem,
            @Schema(description = "ISO 3166-1 alpha-2 country code", example = "FR") String country,
            @Schema(description = "At most 100 characters", example = "Lyon", maxLength = 100) String city,
            @Schema(description = "At most 16 characters", example = "69001", maxLength = 16) String postcode) {
    }

    /** The answer: {@code id} only when counted, {@code reason} only when not. */
    @Schema(name = "ReportAnswer")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportAnswer(Long id, String service, String problem, Instant receivedAt, boolean counted,
            @Schema(description = "Why the report was not counted: duplicate (this person already reported this service within "
                    + "the window) or network-limit (the address network's reports for this service within the window are used up)",
                    enumeration = {"duplicate", "network-limit"}, nullable = true) String reason) {
    }

    /**
     * A stored report, as {@code GET .../reports/{id}} shows it: what was reported, never who, where in a
     * city or when to the millisecond (ids are sequential: a city and a timestamp per id would trace people).
     */
    @Schema(name = "Report")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportView(long id, String service, String problem, String country) {
    }

    private final ReportService reports;
    private final ReportRepository stored;
    private final ReportJson json;

    ReportResource(ReportService reports, ReportRepository stored, ReportJson json) {
        this.reports = reports;
        this.stored = stored;
        this.json = json;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RateLimited
    @PublicCache
    @Operation(summary = "One counted report", description = "What the Location of a 201 points to: the service, problem and country. Never who reported it, the city or the time.")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportView.class)))
    @APIResponse(responseCode = "404", description = "Unknown service, or no such report for it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReportView get(@RestPath String slug, @RestPath long id) {
        Service service = reports.service(slug);
        return stored.find(service.id, id)
                .map(r -> new ReportView(r.id(), service.slug, reports.problemSlug(service, r.problemTypeId()), r.country()))
                .orElseThrow(() -> ProblemException.notFound("No report " + id + " for " + slug));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a problem with a service",
            description = "Counted once per person (address and User-Agent) per service within the de-duplication window "
                    + "(30 minutes by default), and at most 3 times per address network. A 201 means the report is committed.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReportRequest.class)))
    @APIResponse(responseCode = "201", description = "Counted",
            headers = @Header(name = "Location", description = "The report", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportAnswer.class)))
    @APIResponse(responseCode = "200", description = "Not counted, and why (reason): duplicate, the same person already reported "
            + "this service within the window; network-limit, the address network's cap for the window is used up",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportAnswer.class)))
    @APIResponse(responseCode = "400", description = "Unknown problem type, invalid country, over-long field, unknown or repeated member, "
            + "malformed JSON, data after the object",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Sent by a browser from another website (Origin or Sec-Fetch-Site)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over 16 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "No Content-Type, or not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many requests from this client; see Retry-After",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Database unavailable or too many reports waiting; see Retry-After",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    // RestResponse<ReportAnswer>, not Response: with the entity's type known at build time RESTEasy picks the
    // JSON writer once, instead of looking it up (and copying the request headers) for every answer.
    public CompletionStage<RestResponse<ReportAnswer>> report(@RestPath String slug, byte[] body, @Context HttpServerRequest request) {
        if (BrowserOrigin.crossSite(request)) {
            throw BrowserOrigin.forbidden();
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !ReportRoute.isJson(type)) {
            throw BrowserOrigin.notJson();
        }
        if (body.length > MAX_BODY) {
            throw ReportBodyLimit.tooLarge();
        }
        reports.checkRate(ClientAddress.of(request));
        Service service = reports.service(slug);
        return reports.report(service, json.read(body), "api", request).thenApply(r -> {
            ReportAnswer answer = answer(r);
            if (!r.counted()) {
                return RestResponse.ok(answer);
            }
            return RestResponse.ResponseBuilder.<ReportAnswer>create(RestResponse.Status.CREATED)
                    .header(HttpHeaders.LOCATION, location(request, r)).entity(answer).build();
        });
    }

    static ReportAnswer answer(ReportService.Result r) {
        return new ReportAnswer(r.counted() ? r.id() : null, r.service().slug, r.problem().slug, r.receivedAt(), r.counted(),
                r.verdict().reason());
    }

    /**
     * The Location of a counted report: a relative reference (RFC 9110), never built from the request's
     * Host, which a client or a misconfigured proxy controls.
     */
    static String location(HttpServerRequest request, ReportService.Result r) {
        return "/api/v1/services/" + r.service().slug + "/reports/" + r.id();
    }
}
