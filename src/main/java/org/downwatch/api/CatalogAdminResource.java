package org.downwatch.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.CatalogAdmin;
import org.downwatch.catalog.CatalogFiles;
import org.downwatch.catalog.CatalogModels.AuditEntry;
import org.downwatch.catalog.CatalogModels.CatalogFile;
import org.downwatch.catalog.CatalogModels.CategoryInput;
import org.downwatch.catalog.CatalogModels.ImportResult;
import org.downwatch.catalog.CatalogModels.MergeRequest;
import org.downwatch.catalog.CatalogModels.ProblemTypeInput;
import org.downwatch.catalog.CatalogModels.ServiceInput;
import org.downwatch.catalog.CatalogModels.ServiceView;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The catalog's admin API (admin token required): services, categories, problem types, bulk import and
 * export, and the audit trail. A change is served by this instance as soon as it is answered, and by the
 * others within {@code downwatch.catalog.refresh-every}.
 */
@Path("/api/v1/admin")
@Tag(name = "Admin", description = "API keys and the catalog (admin token required)")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "403", description = "Missing or wrong admin token, or admin endpoints disabled",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class CatalogAdminResource {

    static final String CSV = "text/csv";
    private static final String ACTOR_HEADER = "X-Downwatch-Actor";

    private final ApiConfig config;
    private final CatalogAdmin admin;
    private final Catalog catalog;

    CatalogAdminResource(ApiConfig config, CatalogAdmin admin, Catalog catalog) {
        this.config = config;
        this.admin = admin;
        this.catalog = catalog;
    }

    @GET
    @Path("/services/{slug}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A service as stored", description = "Hidden services included, with aliases, own problem types and old slugs")
    public ServiceView service(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("slug") String slug) {
        AdminToken.require(config, authorization);
        return admin.service(slug);
    }

    @POST
    @Path("/services")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a service", description = "slug, name and category required; reportable at once on every instance "
            + "within seconds; detection starts it as a young service")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid body (fields named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The slug is taken, or was a service's slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, ServiceInput body) {
        AdminToken.require(config, authorization);
        ServiceView created = admin.createService(body, AdminToken.actor(actor));
        catalog.refresh();
        return Response.created(URI.create("/api/v1/admin/services/" + created.slug())).entity(created).build();
    }

    @PATCH
    @Path("/services/{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a service: rename, recategorise, hide", description = "Members left out keep their value; an empty "
            + "country or websiteUrl clears it; aliases and problemTypes replace the lists. A new slug keeps the old one as a "
            + "redirect (301 in the API, on pages).")
    @APIResponse(responseCode = "200", description = "The service as changed")
    @APIResponse(responseCode = "400", description = "Invalid body (fields named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ServiceView update(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, @PathParam("slug") String slug, ServiceInput body) {
        AdminToken.require(config, authorization);
        ServiceView updated = admin.updateService(slug, body, AdminToken.actor(actor));
        catalog.refresh();
        return updated;
    }

    @POST
    @Path("/services/{slug}/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Merge a service into another", description = "Both histories add up in the target; the merged "
            + "service's slug redirects to it, its name becomes an alias; detection goes on from the merged series")
    @APIResponse(responseCode = "200", description = "The target as it is now")
    public ServiceView merge(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, @PathParam("slug") String slug, MergeRequest body) {
        AdminToken.require(config, authorization);
        ServiceView target = admin.mergeService(slug, body == null ? null : body.into(), AdminToken.actor(actor));
        catalog.refresh();
        return target;
    }

    @POST
    @Path("/categories")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a category", description = "slug, nameEn and nameFr required; problemTypes: what its services offer")
    @APIResponse(responseCode = "201", description = "Created")
    public Response createCategory(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, CategoryInput body) {
        AdminToken.require(config, authorization);
        CategoryInput saved = admin.saveCategory(null, body, true, AdminToken.actor(actor));
        catalog.refresh();
        return Response.created(URI.create("/api/v1/categories")).entity(saved).build();
    }

    @PATCH
    @Path("/categories/{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a category", description = "Names, position, problem types (members left out keep their value)")
    public CategoryInput updateCategory(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, @PathParam("slug") String slug, CategoryInput body) {
        AdminToken.require(config, authorization);
        CategoryInput saved = admin.saveCategory(slug, body, false, AdminToken.actor(actor));
        catalog.refresh();
        return saved;
    }

    @POST
    @Path("/problem-types")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a problem type", description = "slug, labelEn and labelFr required")
    @APIResponse(responseCode = "201", description = "Created")
    public Response createProblemType(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, ProblemTypeInput body) {
        AdminToken.require(config, authorization);
        ProblemTypeInput saved = admin.saveProblemType(null, body, true, AdminToken.actor(actor));
        catalog.refresh();
        return Response.status(201).entity(saved).build();
    }

    @PATCH
    @Path("/problem-types/{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a problem type's labels")
    public ProblemTypeInput updateProblemType(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor, @PathParam("slug") String slug, ProblemTypeInput body) {
        AdminToken.require(config, authorization);
        ProblemTypeInput saved = admin.saveProblemType(slug, body, false, AdminToken.actor(actor));
        catalog.refresh();
        return saved;
    }

    @GET
    @Path("/catalog")
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "Export the whole catalog", description = "JSON, or CSV with Accept: text/csv or ?format=csv; "
            + "the file imports back as a no-op")
    public Response export(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("format") String format, @Context HttpHeaders headers) {
        AdminToken.require(config, authorization);
        CatalogFile file = admin.export();
        boolean csv = "csv".equals(format) || (format == null && !headers.getAcceptableMediaTypes().isEmpty()
                && headers.getAcceptableMediaTypes().get(0).isCompatible(MediaType.valueOf(CSV))
                && !headers.getAcceptableMediaTypes().get(0).isWildcardType());
        return csv ? Response.ok(CatalogFiles.csv(file), CSV + ";charset=UTF-8").build()
                : Response.ok(file, MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/catalog")
    @Consumes({MediaType.APPLICATION_JSON, CSV})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a catalog (JSON or CSV)", description = "Rows matched by slug are created or updated; others are "
            + "left alone. Checked whole before anything is written: any error is a 400 listing each line and field, and "
            + "nothing changes. The same file twice changes nothing.")
    @APIResponse(responseCode = "200", description = "What was created, updated and left unchanged")
    @APIResponse(responseCode = "400", description = "Errors by line and field (errors[].line, errors[].field); nothing written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ImportResult importCatalog(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(ACTOR_HEADER) String actor,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        AdminToken.require(config, authorization);
        MediaType type = contentType == null ? MediaType.APPLICATION_JSON_TYPE : MediaType.valueOf(contentType);
        boolean csv = type.isCompatible(MediaType.valueOf(CSV));
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("UTF-8")) {
            try { // the file is read as UTF-8: a CSV saved in another charset says so
                body = new String(body, Charset.forName(charset)).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("Content-Type", "unknown charset " + charset);
            }
        }
        ImportResult result = admin.importFile(body, csv, AdminToken.actor(actor));
        if (result.changed()) {
            catalog.refresh();
        }
        return result;
    }

    /** One page of the audit trail. */
    public record AuditPage(List<AuditEntry> items, int page, int size, long total) {
    }

    @GET
    @Path("/audit")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The catalog's audit trail", description = "Who changed what and when, newest first; "
            + "subject=service:la-poste (or category:..., problem-type:..., catalog) for one subject")
    public Response audit(@Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("subject") String subject, @QueryParam("page") String page, @QueryParam("size") String size,
            @Context UriInfo uri) {
        AdminToken.require(config, authorization);
        Params.PageRequest p = Params.page(page, size);
        Map.Entry<List<AuditEntry>, Long> found = admin.audit(subject == null || subject.isBlank() ? null : subject.strip(),
                p.page(), p.size());
        Response.ResponseBuilder r = Response.ok(new AuditPage(found.getKey(), p.page(), p.size(), found.getValue()));
        Links.pages(uri, p, found.getValue()).forEach(l -> r.header("Link", l));
        return r.build();
    }
}
