package org.downwatch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.downwatch.api.ApiModels.CategoryJson;
import org.downwatch.catalog.Catalog;
import org.downwatch.shared.Lang;
import org.downwatch.shared.Problem;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RateLimited
@PublicCache(PublicCache.Lifetime.CATALOG)
@Path("/api/v1/categories")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Categories", description = "Families of services")
public class CategoriesResource {

    private final Catalog catalog;

    CategoriesResource(Catalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "List categories", description = "All categories in display order, named in the request's language")
    @APIResponse(responseCode = "200", description = "The categories", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = CategoryJson.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<CategoryJson> list(
            @Parameter(description = "Language of names: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        String l = Lang.resolve(lang, null, acceptLanguage);
        return catalog.categories().stream()
                .map(c -> new CategoryJson(c.slug, c.name(l), catalog.servicesIn(c.slug).size())).toList();
    }
}
