package org.downwatch.report;

import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Locale;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/**
 * Reports from browsers come from Downwatch's own pages only. A browser says where a request comes
 * from in {@code Sec-Fetch-Site} and {@code Origin}; programs send neither and are not affected. Used by
 * the form ({@link ReportForm}) and both JSON paths ({@link ReportResource}, {@link ReportRoute}), so that
 * a foreign page cannot make its visitors report through the API (a beacon needs no CORS preflight).
 */
final class BrowserOrigin {

    private BrowserOrigin() {
    }

    /**
     * A request from another site: Sec-Fetch-Site is anything but same-origin (or "none", a request the
     * user typed), or the Origin is not this host.
     */
    static boolean crossSite(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        try {
            URI o = URI.create(origin.trim());
            if (o.getHost() == null || host == null) {
                return true; // "null" (sandboxed frames, privacy redirects) or unparseable
            }
            String h = host.trim().toLowerCase(Locale.ROOT);
            String originHost = o.getHost().toLowerCase(Locale.ROOT);
            int colon = h.lastIndexOf(':');
            boolean hostHasPort = colon > h.lastIndexOf(']');
            if (!hostHasPort) {
                return !originHost.equals(h);
            }
            int originPort = o.getPort() != -1 ? o.getPort() : ("https".equalsIgnoreCase(o.getScheme()) ? 443 : 80);
            return !(originHost + ":" + originPort).equals(h);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** The API's 403 for a report sent by a foreign page. */
    static ProblemException forbidden() {
        return new ProblemException(Problem.of(403, "Cross-site report refused",
                "Reports from browsers are accepted from Downwatch's own pages only."));
    }

    /** The API's 415 for a body that is not declared as JSON (a beacon sends none or text/plain). */
    static ProblemException notJson() {
        return new ProblemException(Problem.of(415, "Unsupported media type", "Send the report as application/json."));
    }
}
