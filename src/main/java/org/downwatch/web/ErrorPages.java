package org.downwatch.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.downwatch.shared.HtmlErrorPage;
import org.downwatch.shared.Problem;
import org.jboss.logging.Logger;

/**
 * The friendly page for every error outside the API: what happened in plain words, a search box and
 * the way home. The problem's own detail is not shown (it is English and meant for developers).
 */
@ApplicationScoped
public class ErrorPages implements HtmlErrorPage {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(Visitor v, String kind, String detail, List<PageData.CategoryRow> categories);
    }

    private final PageData data;

    ErrorPages(PageData data) {
        this.data = data;
    }

    /** Which explanation fits: not found, refused form, too many, the visitor's request, or our fault. */
    static String kind(int status) {
        return switch (status) {
            case 404, 410 -> "not-found";
            case 401, 403 -> "forbidden";
            case 429 -> "too-many";
            default -> status >= 500 ? "ours" : "request";
        };
    }

    /**
     * The specific reason, for a refused request (written by us, never an echo of the visitor's input:
     * Qute escapes it all the same); none for the other kinds, whose generic wording says enough.
     */
    static String detail(Problem problem) {
        return problem.status() == 403 ? problem.detail() : null;
    }

    @Override
    public Response render(Problem problem, HttpHeaders headers, UriInfo uri) {
        Visitor v = Visitor.of(headers, uri);
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        String body;
        try {
            List<PageData.CategoryRow> categories = problem.status() == 404 ? data.categories() : List.of();
            body = Templates.error(v, kind(problem.status()), detail(problem), categories).setLocale(v.locale()).render();
        } catch (RuntimeException e) {
            // the database may be what failed: the error page must not fail with it
            LOG.debug("Error page without categories", e);
            body = Templates.error(v, kind(problem.status()), detail(problem), List.of()).setLocale(v.locale()).render();
        }
        return Response.status(problem.status()).type(PageResponses.HTML).entity(body).cacheControl(noStore)
                .header(HttpHeaders.CONTENT_LANGUAGE, v.lang()).build();
    }
}
