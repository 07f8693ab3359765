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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.Service;
import org.downwatch.report.ReportFormToken;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A service's page: its status in plain words, the report-spike chart (also alone as SVG), the most
 * reported problems, the report form and recent incidents.
 */
@Path("/services/{slug}")
public class ServicePage {

    /** How the report form's answer says it went: "already" is the former name of "duplicate". */
    static final Set<String> THANKS = Set.of("counted", "duplicate", "already", "network-limit");
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

    ServicePage(Catalog catalog, PageData data, ReportFormToken tokens) {
        this.catalog = catalog;
        this.data = data;
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@PathParam("slug") String slug, @QueryParam("range") String range,
            @QueryParam("reported") String reported, @QueryParam("report_error") String reportError,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Service service = service(slug);
        Visitor v = Visitor.of(headers, uri);
        // only known values are used: nothing from the query string reaches the page as text
        String thanks = reported != null && THANKS.contains(reported) ? reported : null;
        String error = reportError == null ? null : REPORT_ERRORS.contains(reportError) ? reportError : "other";
        PageData.ServiceView view = data.service(service, "7d".equals(range), v, thanks != null);
        TemplateInstance page = Templates.service(v, view, PageResponses.TOKEN_MARK, thanks, error);
        return PageResponses.ok(page, v, headers, PageResponses.HTML, tokens::issue, thanks == null && error == null);
    }

    @GET
    @Path("chart.svg")
    @Produces("image/svg+xml")
    @Operation(hidden = true)
    public Response chart(@PathParam("slug") String slug, @QueryParam("range") String range,
            @QueryParam("size") String size, @Context HttpHeaders headers, @Context UriInfo uri) {
        Service service = service(slug);
        Visitor v = Visitor.of(headers, uri);
        Chart chart = data.chart(service, "7d".equals(range), v, "narrow".equals(size) ? Chart.Size.NARROW : Chart.Size.WIDE);
        return PageResponses.ok(Templates.chart(v, service, chart), v, headers, PageResponses.SVG);
    }

    private Service service(String slug) {
        return catalog.service(slug).orElseThrow(() -> ProblemException.notFound("No such service"));
    }
}
