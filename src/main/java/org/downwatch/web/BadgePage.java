package org.downwatch.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.StatusReader;
import org.downwatch.shared.HttpCache;
import org.downwatch.shared.Lang;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /services/{slug}/badge.svg}: a small status badge to embed anywhere ("La Poste | problems").
 * Its language comes from {@code ?lang=} or Accept-Language only (never a cookie: it is shown on other
 * sites), so that it is cached like the pages, by URL and Accept-Language.
 */
@Path("/services/{slug}/badge.svg")
public class BadgePage {

    private final Catalog catalog;
    private final StatusReader status;

    BadgePage(Catalog catalog, StatusReader status) {
        this.catalog = catalog;
        this.status = status;
    }

    @GET
    @Produces("image/svg+xml")
    @Operation(hidden = true)
    public Response badge(@PathParam("slug") String slug, @QueryParam("lang") String lang,
            @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            @Context Request request) {
        Service service = catalog.require(slug);
        String level = status.current(service.id).level();
        String resolved = Lang.resolve(lang, acceptLanguage);
        String svg = Badge.svg(service.name, Badge.look(level, Lang.FR.equals(resolved)));
        EntityTag etag = HttpCache.etag(svg);
        Response.ResponseBuilder r = HttpCache.notModified(request, etag) ? Response.notModified(etag)
                : Response.ok(svg, PageResponses.SVG).tag(etag);
        return r.header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + PageResponses.MAX_AGE).header(HttpHeaders.VARY, "Accept-Language").header(HttpHeaders.CONTENT_LANGUAGE, resolved)
                .header("Access-Control-Allow-Origin", "*").build();
    }
}
