package org.downwatch.report;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code POST /services/{slug}/reports}: the service page's report form (works without JavaScript).
 * Answers 303 to the service page ({@code ?reported=counted|duplicate|network-limit}, or {@code ?report_error=<field>#report}).
 * Forged cross-site posts are refused with a friendly 403 page by two independent checks: the signed
 * {@code _csrf} token of {@link ReportFormToken} and the browser's {@code Origin}/{@code Sec-Fetch-Site}.
 */
@Path("/services/{slug}/reports")
@Tag(name = "Site")
public class ReportForm {

    private static final Set<String> FIELDS = Set.of("problem", "country", "city", "postcode");

    private final ReportService reports;
    private final ReportFormToken tokens;

    ReportForm(ReportService reports, ReportFormToken tokens) {
        this.reports = reports;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Report a problem from the service page's form (site, not API)")
    @APIResponse(responseCode = "303", description = "Back to the service page: reported=counted|duplicate|network-limit, or report_error=<field>")
    @APIResponse(responseCode = "403", description = "Cross-site post or missing/expired form token (a page)")
    @APIResponse(responseCode = "404", description = "Unknown service (a page)")
    @APIResponse(responseCode = "413", description = "Form over 16 KiB (a page)")
    @APIResponse(responseCode = "429", description = "Too many reports from this address (a page, Retry-After)")
    @APIResponse(responseCode = "503", description = "Database unavailable or too busy (a page, Retry-After)")
    public CompletionStage<Response> report(@RestPath String slug, @RestForm String problem, @RestForm String country,
            @RestForm String city, @RestForm String postcode, @RestForm(ReportFormToken.FIELD) String csrf,
            @Context HttpServerRequest request) {
        if (BrowserOrigin.crossSite(request)) {
            throw forbidden("This report came from another website, so we did not count it. "
                    + "To report a problem, use the form on the service's page on Downwatch.");
        }
        if (!tokens.verify(csrf)) {
            throw forbidden("This form has expired or was not sent from Downwatch's page. "
                    + "Please reload the service's page and report again.");
        }
        long size = length(problem) + length(country) + length(city) + length(postcode) + length(csrf);
        if (size > ReportResource.MAX_BODY) {
            throw ReportBodyLimit.tooLarge();
        }
        reports.checkRate(ClientAddress.of(request));
        Service service = reports.service(slug);
        CompletionStage<ReportService.Result> result;
        try {
            result = reports.report(service, new ReportService.Input(problem, country, city, postcode), "web", request);
        } catch (ProblemException e) {
            Problem p = e.problem();
            if (p.status() == 400 && p.errors() != null && FIELDS.contains(p.errors().get(0).field())) {
                return CompletableFuture.completedFuture(Response.seeOther(
                        URI.create("/services/" + service.slug + "?report_error=" + p.errors().get(0).field() + "#report")).build());
            }
            throw e;
        }
        return result.thenApply(r -> Response.seeOther(URI.create("/services/" + service.slug + "?reported="
                + (r.counted() ? "counted" : r.verdict().reason()))).build());
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "We did not count this report", detail));
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
