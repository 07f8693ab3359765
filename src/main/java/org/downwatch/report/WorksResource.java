package org.downwatch.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
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

/**
 * {@code POST /api/v1/services/{slug}/works}: "it works for me" from a program (issue 24). The same rules
 * as a report: JSON only (415 otherwise, so that a beacon cannot send one), refused from another website
 * (403), the report rate limit (429), counted once per person per window and at most 3 times per address
 * network (201 counted, 200 not counted and why). Never part of detection: see {@link Submission#works()}.
 */
@Path("/api/v1/services/{slug}/works")
@Tag(name = "Reports")
public class WorksResource {

    /** The answer: {@code reason} only when not counted. */
    @Schema(name = "WorksAnswer")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorksAnswer(String service, Instant receivedAt, boolean counted,
            @Schema(description = "Why the signal was not counted: duplicate (this person already said so for this service "
                    + "within the window) or network-limit (the address network's signals for this service within the window "
                    + "are used up)", enumeration = {"duplicate", "network-limit"}, nullable = true) String reason) {
    }

    private final ReportService reports;
    private final ObjectMapper json;

    WorksResource(ReportService reports, ObjectMapper json) {
        this.reports = reports;
        this.json = json;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Say that a service works for you",
            description = "The other side of a report: shown beside the reports on the service page, in the service's "
                    + "lastHour and in the series (works), never counted by the detector. The body is empty or {}. Counted "
                    + "once per person (address and User-Agent) per service within the de-duplication window, and at most 3 "
                    + "times per address network, apart from the person's reports.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, description = "Empty, or {}")))
    @APIResponse(responseCode = "201", description = "Counted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorksAnswer.class)))
    @APIResponse(responseCode = "200", description = "Not counted, and why (reason)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorksAnswer.class)))
    @APIResponse(responseCode = "400", description = "A body that is not empty and not {}",
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
    @APIResponse(responseCode = "503", description = "Database unavailable or too many signals waiting; see Retry-After",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<RestResponse<WorksAnswer>> works(@RestPath String slug, byte[] body,
            @Context HttpServerRequest request) {
        if (BrowserOrigin.crossSite(request)) {
            throw BrowserOrigin.forbidden();
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !ReportRoute.isJson(type)) {
            throw BrowserOrigin.notJson();
        }
        if (body.length > ReportResource.MAX_BODY) {
            throw ReportBodyLimit.tooLarge();
        }
        emptyObject(body);
        reports.checkRate(ClientAddress.of(request));
        Service service = reports.service(slug);
        return reports.works(service, "api", request).thenApply(r -> {
            WorksAnswer answer = answer(r);
            return r.counted() ? RestResponse.status(RestResponse.Status.CREATED, answer) : RestResponse.ok(answer);
        });
    }

    static WorksAnswer answer(ReportService.Result r) {
        return new WorksAnswer(r.service().slug, r.receivedAt(), r.counted(), r.verdict().reason());
    }

    /** An empty body (whitespace only) or exactly one empty JSON object; anything else is a 400. */
    private void emptyObject(byte[] body) {
        boolean blank = true;
        for (byte b : body) {
            blank &= b == ' ' || b == '\t' || b == '\r' || b == '\n';
        }
        if (blank) {
            return;
        }
        try (JsonParser p = json.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.invalid("body", "must be empty or {}");
            }
            JsonToken next = p.nextToken();
            if (next == JsonToken.FIELD_NAME) {
                throw ProblemException.invalid(p.currentName(), "unknown field: the body is empty or {}");
            }
            if (next != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ProblemException.invalid("body", "must be empty or {}");
            }
        } catch (IOException e) {
            throw ProblemException.invalid("body", "malformed JSON");
        }
    }
}
