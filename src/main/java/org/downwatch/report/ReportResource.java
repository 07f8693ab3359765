package org.downwatch.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
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
    private static final Set<String> FIELDS = Set.of("problem", "country", "city", "postcode");

    /** The request body. */
    @Schema(name = "ReportRequest", description = "Only problem is required; the time is the server's.")
    public record ReportRequest(
            @Schema(required = true, description = "A problem type slug of the service", example = "parcel-tracking") String problem,
            @Schema(description = "ISO 3166-1 alpha-2 country code", example = "FR") String country,
            @Schema(description = "At most 100 characters", example = "Lyon", maxLength = 100) String city,
            @Schema(description = "At most 16 characters", example = "69001", maxLength = 16) String postcode) {
    }

    /** The answer: {@code id} only when counted. */
    @Schema(name = "ReportAnswer")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportAnswer(Long id, String service, String problem, Instant receivedAt, boolean counted) {
    }

    /** A stored report, as {@code GET .../reports/{id}} shows it (no reporter data). */
    @Schema(name = "Report")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportView(long id, String service, String problem, Instant receivedAt, String country, String city) {
    }

    private final ReportService reports;
    private final ReportRepository stored;
    private final ObjectMapper json;

    ReportResource(ReportService reports, ReportRepository stored, ObjectMapper json) {
        this.reports = reports;
        this.stored = stored;
        this.json = json;
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RateLimited
    @PublicCache
    @Operation(summary = "One counted report", description = "What the Location of a 201 points to. Never who reported it.")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportView.class)))
    @APIResponse(responseCode = "404", description = "Unknown service, or no such report for it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReportView get(@RestPath String slug, @RestPath long id) {
        Service service = reports.service(slug);
        return stored.find(service.id, id)
                .map(r -> new ReportView(r.id(), service.slug, reports.problemSlug(service, r.problemTypeId()), r.receivedAt(),
                        r.country(), r.city()))
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
    @APIResponse(responseCode = "200", description = "Not counted: the same person (or address) already reported this service within the window",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportAnswer.class)))
    @APIResponse(responseCode = "400", description = "Unknown problem type, invalid country, over-long field, malformed JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over 16 KiB",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not application/json",
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
        if (body.length > MAX_BODY) {
            throw ReportBodyLimit.tooLarge();
        }
        reports.checkRate(ClientAddress.of(request));
        Service service = reports.service(slug);
        return reports.report(service, parse(json, body), "api", request).thenApply(r -> {
            ReportAnswer answer = answer(r);
            if (!r.counted()) {
                return RestResponse.ok(answer);
            }
            return RestResponse.ResponseBuilder.<ReportAnswer>create(RestResponse.Status.CREATED)
                    .header(HttpHeaders.LOCATION, location(request, r)).entity(answer).build();
        });
    }

    static ReportAnswer answer(ReportService.Result r) {
        return new ReportAnswer(r.counted() ? r.id() : null, r.service().slug, r.problem().slug, r.receivedAt(), r.counted());
    }

    /**
     * The absolute Location of a counted report, built from the request's (proxy-resolved) scheme and
     * host, as Response.created(URI) would: that one parsed two URIs and looked up the current request
     * through CDI, a tenth of the event loop's CPU in the ingest profile.
     */
    static String location(HttpServerRequest request, ReportService.Result r) {
        String path = "/api/v1/services/" + r.service().slug + "/reports/" + r.id();
        String host = request.host();
        return host == null ? path : request.scheme() + "://" + host + path;
    }

    /** The JSON body, strictly: an object of known string fields; 400 naming the field otherwise. */
    static ReportService.Input parse(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ProblemException(Problem.invalid("body: malformed JSON" + where, List.of(new Problem.FieldError("body", "malformed JSON"))));
        } catch (IOException e) {
            throw new ProblemException(Problem.invalid("body: unreadable", List.of(new Problem.FieldError("body", "unreadable"))));
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(Problem.invalid("body: must be a JSON object",
                    List.of(new Problem.FieldError("body", "not a JSON object"))));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                // strict on purpose: a typo ("postCode") or a client time ("receivedAt") is said, not silently dropped
                throw ProblemException.invalid(name, "unknown field (accepted: problem, country, city, postcode; the time is the server's)");
            }
        }
        return new ReportService.Input(string(root, "problem"), string(root, "country"), string(root, "city"), string(root, "postcode"));
    }

    private static String string(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ProblemException.invalid(field, "must be a string");
        }
        return v.textValue();
    }
}
