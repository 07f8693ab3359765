package org.downwatch.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.downwatch.api.ApiModels.ApiKeyCreated;
import org.downwatch.api.ApiModels.ApiKeyRequest;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Admin endpoints, authenticated by {@code Authorization: Bearer <downwatch.api.admin-token>}. Without
 * a configured token they are disabled (403), so production needs nothing but the database.
 */
@RateLimited
@Path("/api/v1/admin/api-keys")
@Tag(name = "Admin", description = "API keys (admin token required)")
@SecurityScheme(securitySchemeName = "adminToken", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The token of downwatch.api.admin-token")
@SecurityRequirement(name = "adminToken")
public class AdminResource {

    private final ApiConfig config;
    private final ApiKeys keys;
    private final Validator validator;

    AdminResource(ApiConfig config, ApiKeys keys, Validator validator) {
        this.config = config;
        this.keys = keys;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key", description = "Creates a key for X-Api-Key with a higher rate limit. "
            + "The key is in this answer only: Downwatch keeps its SHA-256, not the key.")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiKeyCreated.class)))
    @APIResponse(responseCode = "400", description = "Invalid body (fields named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Missing or wrong admin token, or admin endpoints disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<ApiKeyCreated> create(
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            ApiKeyRequest request) {
        requireAdmin(authorization); // before validating: strangers learn nothing about the body
        if (request == null) {
            throw ProblemException.invalid("body", "a JSON object with name (and optionally rateLimit) is required");
        }
        Set<ConstraintViolation<ApiKeyRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return RestResponse.status(RestResponse.Status.CREATED, keys.create(request.name(), request.rateLimit()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke an API key", description = "The key stops working within a minute on every instance")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "403", description = "Missing or wrong admin token, or admin endpoints disabled",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No active key has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<Void> revoke(
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "The key's id") @PathParam("id") long id) {
        requireAdmin(authorization);
        if (!keys.revoke(id)) {
            throw ProblemException.notFound("No active API key has the id " + id);
        }
        return RestResponse.noContent();
    }

    private void requireAdmin(String authorization) {
        AdminToken.require(config, authorization);
    }
}
