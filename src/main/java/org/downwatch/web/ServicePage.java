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
import java.util.Set;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.report.ReportFormToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A service's page: its status in plain words, the report-spike chart (also alone as SVG), the most
 * reported problems, the report form and recent incidents.
 */
@Path("/services/{slug}")
public class ServicePage {

    /** How the report form's answer says it went: "already" is the former name of "duplicate". */
    static final Set<String> THANKS = Set.of("counted", "duplicate", "already", "network-limit");
    /** The query parameters a shared page may have: any other is rendered per request. */
    static final Set<String> PAGE_PARAMS = Set.of("range");
    static final Set<String> CHART_PARAMS = Set.of("range", "size");
    static final Set<String> REPORT_ERRORS = Set.of("problem", "country", "city", "postcode");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance service(Visitor v, PageData.ServiceView s, String token, String reported,
                String reportError);

        static native TemplateInstance chart(Visitor v, Service service, Chart chart);
    }

    private final Catalog catalog;
    private final PageData data;
    private final ReportFormToken tokens;
    private final PageCache cache;

    ServicePage(Catalog catalog, PageData data, ReportFormToken tokens, PageCache cache) {
        this.cache = cache;
        this.catalog = catalog;
        this.data = data;
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@PathParam("slug") String slug, @QueryParam("range") String range,
            @QueryParam("reported") String reported, @QueryParam("report_error") String reportError,
            @QueryParam("works") String works,
            @Context HttpHeaders headers, @Context Request request, @Context UriInfo uri) {
        Service service = catalog.require(slug);
        Visitor v = Visitor.of(headers, uri);
        // only known values are used: nothing from the query string reaches the page as text
        String thanks = reported != null && THANKS.contains(reported) ? reported : null;
        String error = reportError == null ? null : REPORT_ERRORS.contains(reportError) ? reportError : "other";
        String worked = works != null && THANKS.contains(works) ? works : null;
        boolean week = "7d".equals(range);
        if (thanks != null || error != null || worked != null) {
            PageData.ServiceView view = data.service(service, week, v, thanks != null || worked != null);
            if (worked != null) {
                view = view.withWorksThanks(worked);
            }
            TemplateInstance page = Templates.service(v, view, PageResponses.TOKEN_MARK, thanks, error);
            return PageResponses.ok(page, v, request, PageResponses.HTML, tokens::issue, false);
        }
        return PageResponses.cached(cache, service.slug + (week ? " 7d" : " 24h"), v, request, headers, uri, PAGE_PARAMS,
                PageResponses.HTML, (now, token) -> Templates.service(v, data.service(service, week, v, false, now), token,
                        null, null),
                tokens::issue);
    }

    @GET
    @Path("chart.svg")
    @Produces("image/svg+xml")
    @Operation(hidden = true)
    public Response chart(@PathParam("slug") String slug, @QueryParam("range") String range,
            @QueryParam("size") String size, @Context HttpHeaders headers, @Context Request request,
            @Context UriInfo uri) {
        Service service = catalog.require(slug);
        Visitor v = Visitor.of(headers, uri);
        boolean week = "7d".equals(range);
        Chart.Size s = "narrow".equals(size) ? Chart.Size.NARROW : Chart.Size.WIDE;
        return PageResponses.cached(cache, service.slug + (week ? " 7d " : " 24h ") + s, v, request, headers, uri,
                CHART_PARAMS, PageResponses.SVG, (now, token) -> Templates.chart(v, service, data.chart(service, week, v, s, now)),
                null);
    }
}
