package org.downwatch.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * CORS for the public API: any origin may read {@code /api/v1} with GET and HEAD; no other method is
 * opened to other origins (a preflight for POST gets no {@code Access-Control-Allow-*} headers, so the
 * browser stops there).
 * <p>
 * Not {@code quarkus.http.cors.*}: with {@code methods=GET,HEAD} the built-in filter answers
 * "403 CORS Rejected" to every POST that carries an {@code Origin} header, and browsers send one on
 * every form POST, same-origin included: it broke the site's own report form. This handler only
 * touches {@code /api/v1/*} and never rejects a request itself.
 */
@ApplicationScoped
class ApiCors {

    static final String ALLOWED_METHODS = "GET, HEAD";
    static final String ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, X-Api-Key";
    static final String EXPOSED_HEADERS = "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
            + "RateLimit-Reset, RateLimit-Policy";

    void install(@Observes Router router) {
        router.route("/api/v1/*").order(-100).handler(ApiCors::handle);
    }

    static void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.getHeader("Origin") == null) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response();
        String requested = request.getHeader("Access-Control-Request-Method");
        if (request.method() == HttpMethod.OPTIONS && requested != null) {
            if ("GET".equalsIgnoreCase(requested) || "HEAD".equalsIgnoreCase(requested)) {
                response.putHeader("Access-Control-Allow-Origin", "*")
                        .putHeader("Access-Control-Allow-Methods", ALLOWED_METHODS)
                        .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                        .putHeader("Access-Control-Max-Age", "86400");
            }
            response.setStatusCode(204).end();
            return;
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            response.putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        ctx.next();
    }
}
