package org.downwatch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.detect.Incident;
import org.downwatch.detect.IncidentRepository;
import org.downwatch.region.Breakdown;
import org.downwatch.region.FrenchPlaces;
import org.downwatch.region.PlaceNames;
import org.downwatch.region.RegionReader;
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

/** Where a service's reports come from: countries, regions (French départements) or cities, small places folded. */
@RateLimited
@PublicCache
@Path("/api/v1/services/{slug}/regions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Services")
public class RegionsResource {

    static final Set<String> LEVELS = Set.of("country", "region", "city");

    @Schema(name = "RegionBreakdown", description = "Where the reports of [from, to) come from. Places with fewer "
            + "than minReports reports are only counted in other; nothing finer than a city is given.")
    record RegionsBody(String service, Instant from, Instant to,
            @Schema(description = "incident: the open incident (from its start to now); day: the last 24 hours; "
                    + "range: the from and to asked for", enumeration = { "incident", "day", "range" }) String scope,
            @Schema(enumeration = { "country", "region", "city" }) String level,
            @Schema(description = "A place with fewer reports is not shown on its own") int minReports,
            @Schema(description = "Every report of the range") int total,
            @Schema(description = "The reports with a place at this level: the denominator of the shares") int located,
            @Schema(description = "The reports without a place at this level (no country, or no city or French postcode)") int unlocated,
            List<PlaceJson> places, OtherJson other) {
    }

    @Schema(name = "RegionPlace", description = "A country; a region (in France a département, elsewhere the city); or a city")
    record PlaceJson(
            @Schema(description = "ISO 3166-1 alpha-2", example = "FR") String country,
            @Schema(description = "French département code (from the postcode, or the city), else null", example = "69", nullable = true) String region,
            @Schema(description = "City name (region and city levels; the most common spelling)", example = "Lyon", nullable = true) String city,
            @Schema(description = "The place's name in the request's language", example = "Rhône (69)") String name,
            int count,
            @Schema(description = "Fraction of the located reports, in [0, 1]") double share) {
    }

    @Schema(name = "RegionOther", description = "The places with fewer than minReports reports each, together")
    record OtherJson(int count, @Schema(description = "How many places") int places,
            @Schema(description = "Fraction of the located reports, in [0, 1]") double share) {
    }

    private final Catalog catalog;
    private final RegionReader regions;
    private final IncidentRepository incidents;

    RegionsResource(Catalog catalog, RegionReader regions, IncidentRepository incidents) {
        this.catalog = catalog;
        this.regions = regions;
        this.incidents = incidents;
    }

    @GET
    @Operation(summary = "Where the reports come from", description = "Reports per country, region (French "
            + "département from the postcode, or the city elsewhere) or city over [from, to), with their shares (fractions "
            + "in [0, 1] of the reports that say where). Without from and to: the open incident, else the last 24 hours. "
            + "A place with fewer than 5 reports is never shown on its own: such places are counted together in other. "
            + "The range is at most 31 days.")
    @APIResponse(responseCode = "200", description = "The breakdown",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegionsBody.class)))
    @APIResponse(responseCode = "400", description = "Invalid level, from or to (named in errors[].field)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No service has this slug",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Rate limit exceeded (see Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RegionsBody regions(
            @Parameter(description = "The service's slug", example = "la-poste") @PathParam("slug") String slug,
            @Parameter(description = "Start (ISO-8601 instant); default: the open incident's start, else 24 hours before to",
                    example = "2026-01-05T06:00:00Z") @QueryParam("from") String from,
            @Parameter(description = "End, exclusive (ISO-8601 instant); default now") @QueryParam("to") String to,
            @Parameter(description = "country, region or city", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "country", "region", "city" }, defaultValue = "country")) @QueryParam("level") String level,
            @Parameter(description = "Language of names: fr or en (else Accept-Language, else en)") @QueryParam("lang") String lang,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        Service s = catalog.require(slug);
        String l = Params.oneOf("level", level, LEVELS);
        Breakdown.Level lv = l == null ? Breakdown.Level.COUNTRY : Breakdown.Level.valueOf(l.toUpperCase(Locale.ROOT));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String scope = "range";
        Params.Range range;
        if ((from == null || from.isBlank()) && (to == null || to.isBlank())) {
            Incident open = incidents.openFor(s.id).orElse(null);
            if (open != null && Duration.between(open.startedAt, now).compareTo(Params.MAX_RANGE) <= 0) {
                range = new Params.Range(open.startedAt, now);
                scope = "incident";
            } else {
                range = new Params.Range(now.minus(Params.DEFAULT_RANGE), now);
                scope = "day";
            }
        } else {
            range = Params.range(from, to, now, Duration.ofSeconds(1));
        }
        Locale locale = Lang.FR.equals(Lang.resolve(lang, null, acceptLanguage)) ? Locale.FRENCH : Locale.ENGLISH;
        Breakdown b = Breakdown.of(regions.rows(s.id, range.from(), range.to()), lv, FrenchPlaces.get());
        List<PlaceJson> places = b.places().stream().map(p -> new PlaceJson(p.country(), p.region(), p.city(),
                PlaceNames.of(p, lv, locale), p.count(), p.share())).toList();
        return new RegionsBody(s.slug, range.from(), range.to(), scope, lv.slug(), Breakdown.MIN_REPORTS, b.total(),
                b.located(), b.unlocated(), places, new OtherJson(b.other().count(), b.other().places(), b.other().share()));
    }
}
