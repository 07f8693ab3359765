package org.downwatch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.UriInfo;
import org.downwatch.shared.Problem;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The site-wide Atom feed (its own class: {@code /api/v1/incidents.atom} is not under {@code /api/v1/incidents/}). */
@RateLimited
@PublicCache
@Path("/api/v1/incidents.atom")
@Tag(name = "Incidents")
public class IncidentFeedResource {

    private final IncidentFeed feed;

    IncidentFeedResource(IncidentFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(IncidentFeed.ATOM)
    @Operation(summary = "Atom feed of incidents", description = "The latest incidents of all services, newest first (Atom 1.0)")
    @APIResponse(responseCode = "200", description = "The feed",
            content = @Content(mediaType = IncidentFeed.ATOM, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public String feed(UriInfo uri) {
        return feed.render(null, uri);
    }
}
