package org.downwatch.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.downwatch.api.ApiConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The site's page for developers: what the API offers, where its documentation is, curl examples. */
@Path("/developers")
public class DeveloperPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance developers(Visitor v, String base, ApiConfig.RateLimit limits);
    }

    private final ApiConfig config;

    DeveloperPage(ApiConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance developers(UriInfo uri, HttpHeaders headers) {
        String base = uri.getBaseUri().toString();
        return Templates.developers(Visitor.of(headers, uri), base.endsWith("/") ? base.substring(0, base.length() - 1) : base,
                config.rateLimit());
    }
}
