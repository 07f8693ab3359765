package org.downwatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.downwatch.api.NoticeModels.NoticeJson;
import org.downwatch.api.NoticeModels.NoticePage;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.notice.Notice;
import org.downwatch.notice.NoticeInput;
import org.downwatch.notice.Notices;
import org.downwatch.notice.OwnerKey;
import org.downwatch.shared.Lang;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * What the company says: official notices of a service, posted by its verified owner (an owner key, made by
 * the admin) and read by anyone. Pages show a new notice from the next evaluated minute on (see PageData).
 */
@RateLimited
@Path("/api/v1/services/{slug}/notices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Notices", description = "Official notices from a service's verified owner, beside the crowd's reports")
@SecurityScheme(securitySchemeName = "ownerKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The service's owner key (dw_…), created by the admin: POST /api/v1/admin/services/{slug}/owner-keys")
@APIResponse(responseCode = "404", description = "No service has this slug",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class NoticesResource {

    private static final ObjectReader STRICT = new ObjectMapper().readerFor(NoticeInput.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Catalog catalog;
    private final Notices notices;

    NoticesResource(Catalog catalog, Notices notices) {
        this.catalog = catalog;
        this.notices = notices;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "ownerKey")
    @Operation(summary = "Post an official notice", description = "With the service's owner key. kind is investigating, "
            + "identified, monitoring, resolved or maintenance; message has fr and/or en; a maintenance notice needs "
            + "startsAt and endsAt (a window of at most 7 days, starting at most a day ago and at most a year ahead). "
            + "An incident detected during a window declared before it is labelled maintenance; its counts are "
            + "unchanged. Subscribers of the service's webhooks get a notice.posted event. Service pages show the "
            + "notice from the next evaluated minute on.")
    @APIResponse(responseCode = "201", description = "Posted; Location points to it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoticeJson.class)))
    @APIResponse(responseCode = "400", description = "Invalid body (every bad field named in errors[].field); nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid owner key (Authorization: Bearer <key>)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The owner key belongs to another service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response post(@Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "Language of labels in the answer: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = NoticeInput.class))) String body) {
        Service s = catalog.require(slug);
        OwnerKey key = notices.authorize(s, authorization); // before the body: strangers learn nothing about it
        Notice n = notices.post(s, key, parse(body));
        CacheControl none = new CacheControl();
        none.setNoStore(true);
        return Response.created(URI.create("/api/v1/services/" + s.slug + "/notices/" + n.id))
                .entity(NoticeJson.of(n, s.slug, Lang.resolve(lang, null, acceptLanguage))).cacheControl(none).build();
    }

    /** Strict: a misspelt member or a body that is not an object is a problem naming it, never a bare 400. */
    private NoticeInput parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return STRICT.readValue(body, NoticeInput.class);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.invalid(e.getPropertyName(), "unknown member (kind, message, startsAt, endsAt)");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw ProblemException.invalid("body", "not a notice: a JSON object with kind and message is expected" + where);
        } catch (java.io.IOException e) {
            throw ProblemException.invalid("body", "could not be read");
        }
    }

    @GET
    @PublicCache
    @Operation(summary = "List a service's official notices", description = "Newest first; labels and message in the "
            + "request's language (?lang= or Accept-Language), the message falling back to the other language")
    @APIResponse(responseCode = "200", description = "One page of notices; Link headers point to the next and previous pages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoticePage.class)))
    @APIResponse(responseCode = "400", description = "Invalid page or size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<NoticePage> list(
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Page number, from 1", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1")) @QueryParam("page") String page,
            @Parameter(description = "Page size, at most 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            UriInfo uri) {
        Service s = catalog.require(slug);
        Params.PageRequest p = Params.page(page, size);
        String l = Lang.resolve(lang, null, acceptLanguage);
        long total = notices.count(s.id);
        List<NoticeJson> items = p.offset() >= total ? List.of()
                : notices.list(s.id, p.index(), p.size()).stream().map(n -> NoticeJson.of(n, s.slug, l)).toList();
        RestResponse.ResponseBuilder<NoticePage> b = RestResponse.ResponseBuilder.ok(new NoticePage(items, p.page(), p.size(), total));
        Links.pages(uri, p, total).forEach(x -> b.header(HttpHeaders.LINK, x));
        return b.build();
    }

    @GET
    @PublicCache
    @Path("/{id}")
    @Operation(summary = "Get an official notice")
    @APIResponse(responseCode = "200", description = "The notice",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NoticeJson.class)))
    public NoticeJson get(@Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "The notice's id") @PathParam("id") String id,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Service s = catalog.require(slug);
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("No notice has the id " + id);
        }
        return notices.get(s.id, n).map(x -> NoticeJson.of(x, s.slug, Lang.resolve(lang, null, acceptLanguage)))
                .orElseThrow(() -> ProblemException.notFound("This service has no notice with the id " + id));
    }
}
