package org.downwatch.catalog;

import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.downwatch.shared.Problem;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Slugs are stable: a request at a renamed or merged service's old slug is redirected to the same path at
 * its new slug, query included. The API answers with a small problem-details body naming the new slug.
 */
public class ServiceMovedMapper {

    @ServerExceptionMapper
    public Response moved(ServiceMoved e, UriInfo uri, Request request) {
        String query = uri.getRequestUri().getRawQuery();
        String location = e.relocate(uri.getRequestUri().getRawPath()) + (query == null ? "" : "?" + query);
        // 308 keeps the method and body of a POST; a 301 may be followed with a GET
        int status = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()) ? 301 : 308;
        Response.ResponseBuilder r = Response.status(status).location(URI.create(location))
                .header("Cache-Control", "public, max-age=300");
        String path = uri.getPath();
        if (path.startsWith("/api/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "https://downwatch.org/problems/moved");
            body.put("title", "Moved permanently");
            body.put("status", status);
            body.put("detail", e.getMessage());
            body.put("instance", path);
            body.put("slug", e.newSlug());
            body.put("location", location);
            return r.type(Problem.MEDIA_TYPE).entity(body).build();
        }
        return r.type("text/html;charset=UTF-8").entity("<!DOCTYPE html><title>Moved</title><p><a href=\""
                + org.downwatch.shared.ProblemMappers.escape(location) + "\">" + org.downwatch.shared.ProblemMappers.escape(e.newSlug())
                + "</a></p>").build();
    }
}
