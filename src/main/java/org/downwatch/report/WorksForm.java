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
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code POST /services/{slug}/works}: the service page's "It works for me" button (works without
 * JavaScript). Answers 303 to the service page ({@code ?works=counted|duplicate|network-limit#works}). The
 * same two checks as the report form ({@link ReportForm}): the signed {@code _csrf} token of the page's
 * window and the browser's {@code Origin}/{@code Sec-Fetch-Site}; a forged post gets a friendly 403 page.
 */
@Path("/services/{slug}/works")
@Tag(name = "Site")
public class WorksForm {

    private static final Set<String> READ = Set.of(ReportFormToken.FIELD);

    private final ReportService reports;
    private final ReportFormToken tokens;

    WorksForm(ReportService reports, ReportFormToken tokens) {
        this.reports = reports;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Say that a service works, from the service page's button (site, not API)")
    @APIResponse(responseCode = "303", description = "Back to the service page: works=counted|duplicate|network-limit")
    @APIResponse(responseCode = "400", description = "A form that cannot be decoded (a page)")
    @APIResponse(responseCode = "403", description = "Cross-site post or missing/expired form token (a page)")
    @APIResponse(responseCode = "404", description = "Unknown service (a page)")
    @APIResponse(responseCode = "429", description = "Too many requests from this address (a page, Retry-After)")
    @APIResponse(responseCode = "503", description = "Database unavailable or too busy (a page, Retry-After)")
    public CompletionStage<Response> works(@RestPath String slug, byte[] body, @RestQuery("lang") String lang,
            @Context HttpServerRequest request) {
        // read like the report form's (FormBody), not by the REST layer: a malformed form gets the 400 page
        String csrf = FormBody.read(body, READ, "Works form").get(ReportFormToken.FIELD);
        if (BrowserOrigin.crossSite(request)) {
            throw forbidden("This came from another website, so we did not count it. "
                    + "To say a service works for you, use the button on its page on Downwatch.");
        }
        if (!tokens.verify(csrf)) {
            throw forbidden("This form has expired or was not sent from Downwatch's page. "
                    + "Please reload the service's page and try again.");
        }
        reports.checkRate(ClientAddress.of(request));
        Service service = reports.service(slug);
        return reports.works(service, "web", request).thenApply(r -> Response.seeOther(URI.create("/services/"
                + service.slug + "?works=" + (r.counted() ? "counted" : r.verdict().reason()) + ReportForm.keep(lang) + "#works")).build());
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "We did not count this", detail));
    }
}
