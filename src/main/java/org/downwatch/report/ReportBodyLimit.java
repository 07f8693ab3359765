package org.downwatch.report;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses report bodies over 16 KiB by their Content-Length before they are read (413). The global
 * {@code quarkus.http.limits.max-body-size} stays large for the backtest's CSV uploads; the resources
 * check the size of the body actually read too (a chunked body has no Content-Length).
 */
public class ReportBodyLimit {

    static ProblemException tooLarge() {
        return new ProblemException(Problem.of(413, "Request too large",
                "A report is at most " + ReportResource.MAX_BODY / 1024 + " KiB"));
    }

    static boolean isReportPath(String path) {
        return path != null && (path.endsWith("/reports") || path.endsWith("/works"))
                && (path.startsWith("/api/v1/services/") || path.startsWith("/services/"));
    }

    @ServerRequestFilter(preMatching = true)
    public void limit(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST || !isReportPath(request.path())) {
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > ReportResource.MAX_BODY) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                // Vert.x refuses an invalid Content-Length itself
            }
        }
    }
}
