package org.downwatch.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.downwatch.api.NoticeModels.OwnerKeyCreated;
import org.downwatch.api.NoticeModels.OwnerKeyRequest;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.notice.Notices;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Verified owners: the admin gives a company a key bound to its service, after checking who asks (see the
 * README: the key is the verification). The key is in the answer only; Downwatch keeps its SHA-256.
 */
@RateLimited
@Path("/api/v1/admin/services/{slug}/owner-keys")
@Tag(name = "Admin", description = "API keys and the catalog (admin token required)")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "403", description = "Missing or wrong admin token, or admin endpoints disabled",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No service has this slug",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class OwnerKeysResource {

    private final ApiConfig config;
    private final Catalog catalog;
    private final Notices notices;

    OwnerKeysResource(ApiConfig config, Catalog catalog, Notices notices) {
        this.config = config;
        this.catalog = catalog;
        this.notices = notices;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an owner key", description = "A key bound to this service, for its verified owner to post "
            + "official notices (Authorization: Bearer <key>). The key is in this answer only.")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OwnerKeyCreated.class)))
    @APIResponse(responseCode = "400", description = "Invalid body (fields named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            OwnerKeyRequest body) {
        AdminToken.require(config, authorization);
        Service s = catalog.require(slug);
        Notices.CreatedKey k = notices.createKey(s, body == null ? null : body.name());
        CacheControl none = new CacheControl();
        none.setNoStore(true);
        return Response.created(URI.create("/api/v1/admin/services/" + s.slug + "/owner-keys/" + k.key().id))
                .entity(new OwnerKeyCreated(k.key().id, s.slug, k.key().name, k.plain(), k.key().createdAt))
                .cacheControl(none).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an owner key", description = "The key stops working at once; its notices stay")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "The key's id") @PathParam("id") String id) {
        AdminToken.require(config, authorization);
        Service s = catalog.require(slug);
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (!notices.revokeKey(s, n)) {
            throw ProblemException.notFound("This service has no active owner key with the id " + id);
        }
        return Response.noContent().build();
    }
}
