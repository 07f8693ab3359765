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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Lang;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code POST /services/{slug}/reports}: the service page's report form (works without JavaScript).
 * Answers 303 to the service page ({@code ?reported=counted|duplicate|network-limit}, or {@code ?report_error=<field>#report}).
 * Forged cross-site posts are refused with a friendly 403 page by two independent checks: the signed
 * {@code _csrf} token of {@link ReportFormToken} and the browser's {@code Origin}/{@code Sec-Fetch-Site}.
 * The body is read as bytes and decoded by {@link FormBody} (strict: a malformed form is a friendly 400
 * page), never by the REST layer's form parsing, which hangs or fails with a 500 on malformed escapes.
 */
@Path("/services/{slug}/reports")
@Tag(name = "Site")
public class ReportForm {

    private static final Logger LOG = Logger.getLogger(ReportForm.class);
    private static final Set<String> FIELDS = Set.of("problem", "country", "city", "postcode");
    private static final Set<String> READ = Set.of("problem", "country", "city", "postcode", ReportFormToken.FIELD);

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
    @APIResponse(responseCode = "400", description = "A form that cannot be decoded: malformed escape, not UTF-8, too many fields (a page)")
    @APIResponse(responseCode = "403", description = "Cross-site post or missing/expired form token (a page)")
    @APIResponse(responseCode = "404", description = "Unknown service (a page)")
    @APIResponse(responseCode = "413", description = "Form over 16 KiB (a page)")
    @APIResponse(responseCode = "429", description = "Too many reports from this address (a page, Retry-After)")
    @APIResponse(responseCode = "503", description = "Database unavailable or too busy (a page, Retry-After)")
    public CompletionStage<Response> report(@RestPath String slug, byte[] body, @RestQuery("lang") String lang,
            @Context HttpServerRequest request) {
        Map<String, String> form = FormBody.read(body, READ, "Report form");
        String problem = form.get("problem");
        String country = form.get("country");
        String city = form.get("city");
        String postcode = form.get("postcode");
        String csrf = form.get(ReportFormToken.FIELD);
        if (BrowserOrigin.crossSite(request)) {
            throw forbidden("This report came from another website, so we did not count it. "
                    + "To report a problem, use the form on the service's page on Downwatch.");
        }
        if (!tokens.verify(csrf)) {
            throw forbidden("This form has expired or was not sent from Downwatch's page. "
                    + "Please reload the service's page and report again.");
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
                        URI.create("/services/" + service.slug + "?report_error=" + p.errors().get(0).field() + keep(lang) + "#report")).build());
            }
            throw e;
        }
        return result.thenApply(r -> Response.seeOther(URI.create("/services/" + service.slug + "?reported="
                + (r.counted() ? "counted" : r.verdict().reason()) + keep(lang))).build());
    }

    /** The language the form's page was asked for by URL ({@code ?lang=} kept in the form's action), kept in the answer. */
    static String keep(String lang) {
        String l = Lang.supported(lang);
        return l == null ? "" : "&lang=" + l;
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "We did not count this report", detail));
    }
}
