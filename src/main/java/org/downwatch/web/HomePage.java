package org.downwatch.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
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
import java.util.List;
import java.util.Set;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Category;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The home page, search and the category pages. */
@Path("/")
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Visitor v, PageData.Home home);

        static native TemplateInstance search(Visitor v, String q, List<PageData.ServiceRow> results,
                List<PageData.CategoryRow> categories);

        static native TemplateInstance category(Visitor v, Category category, List<PageData.ServiceRow> services,
                List<PageData.CategoryRow> categories);
    }

    private final Catalog catalog;
    private final PageData data;
    private final PageCache cache;

    HomePage(Catalog catalog, PageData data, PageCache cache) {
        this.cache = cache;
        this.catalog = catalog;
        this.data = data;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response home(@Context HttpHeaders headers, @Context Request request, @Context UriInfo uri) {
        Visitor v = Visitor.of(headers, uri);
        return PageResponses.cached(cache, "home", v, request, headers, uri, Set.of(), PageResponses.HTML,
                (now, token) -> Templates.home(v, data.home(now)), null);
    }

    @GET
    @Path("search")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response search(@QueryParam("q") String q, @Context HttpHeaders headers, @Context Request request,
            @Context UriInfo uri) {
        Visitor v = Visitor.of(headers, uri);
        String query = q == null ? "" : q.strip();
        if (query.length() > 100) {
            query = query.substring(0, 100);
        }
        List<PageData.ServiceRow> results = query.isEmpty() ? List.of() : data.rows(catalog.search(query));
        return PageResponses.ok(Templates.search(v, query, results, data.categories()), v, request, PageResponses.HTML);
    }

    @GET
    @Path("categories/{slug}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response category(@PathParam("slug") String slug, @Context HttpHeaders headers, @Context Request request,
            @Context UriInfo uri) {
        Visitor v = Visitor.of(headers, uri);
        Category c = catalog.requireCategory(slug);
        return PageResponses.ok(Templates.category(v, c, data.rows(catalog.servicesIn(c.slug)), data.categories()), v,
                request, PageResponses.HTML);
    }
}
