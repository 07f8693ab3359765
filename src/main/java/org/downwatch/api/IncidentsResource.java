package org.downwatch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.downwatch.api.ApiModels.IncidentJson;
import org.downwatch.api.ApiModels.IncidentPage;
import org.downwatch.catalog.Catalog;
import org.downwatch.shared.Lang;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.PublicCache;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@RateLimited
@PublicCache
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Incidents", description = "Outages as people reported them")
public class IncidentsResource {

    private final Catalog catalog;
    private final ApiViews views;

    IncidentsResource(Catalog catalog, ApiViews views) {
        this.catalog = catalog;
        this.views = views;
    }

    @GET
    @Operation(summary = "List incidents", description = "Incidents newest first, optionally of one service, open or "
            + "closed, and overlapping the time range [from, to)")
    @APIResponse(responseCode = "200", description = "One page of incidents; Link headers point to the next and previous pages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid parameter (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestResponse<IncidentPage> list(
            @Parameter(description = "Only this service's incidents (its slug)", example = "la-poste") @QueryParam("service") String service,
            @Parameter(description = "Only open or only closed incidents",
                    schema = @Schema(enumeration = { "open", "closed" })) @QueryParam("state") String state,
            @Parameter(description = "Only incidents still going on at or after this instant (ISO-8601)") @QueryParam("from") String from,
            @Parameter(description = "Only incidents started before this instant (ISO-8601)") @QueryParam("to") String to,
            @Parameter(description = "Page number, from 1", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1")) @QueryParam("page") String page,
            @Parameter(description = "Page size, at most 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("size") String size,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage,
            UriInfo uri) {
        Params.PageRequest p = Params.page(page, size);
        Integer serviceId = null;
        if (service != null && !service.isBlank()) {
            serviceId = catalog.service(service.trim())
                    .orElseThrow(() -> ProblemException.invalid("service", "no service has this slug")).id;
        }
        String st = Params.oneOf("state", state, Set.of("open", "closed"));
        Boolean open = st == null ? null : "open".equals(st);
        Params.Range range = Params.openRange(from, to);
        long total = views.countIncidents(serviceId, open, range.from(), range.to());
        List<IncidentJson> items = p.offset() >= total ? List.of()
                : views.incidents(serviceId, open, range.from(), range.to(), p.index(), p.size(),
                        Lang.resolve(lang, null, acceptLanguage));
        RestResponse.ResponseBuilder<IncidentPage> b = RestResponse.ResponseBuilder
                .ok(new IncidentPage(items, p.page(), p.size(), total));
        Links.pages(uri, p, total).forEach(l -> b.header(HttpHeaders.LINK, l));
        return b.build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an incident", description = "One incident with the problem types reported during it")
    @APIResponse(responseCode = "200", description = "The incident",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentJson.class)))
    @APIResponse(responseCode = "404", description = "No incident has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public IncidentJson get(
            @Parameter(description = "The incident's id", example = "42") @PathParam("id") String id,
            @Parameter(description = "Language of labels: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("No incident has the id " + id);
        }
        IncidentJson i = views.incident(n, Lang.resolve(lang, null, acceptLanguage));
        if (i == null) {
            throw ProblemException.notFound("No incident has the id " + id);
        }
        return i;
    }
}
