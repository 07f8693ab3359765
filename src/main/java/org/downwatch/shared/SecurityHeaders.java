package org.downwatch.shared;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Security headers on every answer: a Content-Security-Policy the pages satisfy (scripts and styles
 * from files only, except the chart's static {@code <style>}, allowed by its hash), no framing
 * (clickjacking a framed report form), {@code nosniff}, a referrer policy, and HSTS over HTTPS.
 * Swagger UI under {@code /q/} uses inline scripts: it keeps every header but the CSP.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** The template whose {@code <style>} is inlined into pages and SVGs; its hash is allowed. */
    static final String CHART_TEMPLATE = "templates/tags/chart.html";

    private final String policy;

    SecurityHeaders() {
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self' '" + chartStyleHash() + "'; img-src 'self' data:; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        boolean swagger = request.path() != null && request.path().startsWith("/q/");
        boolean https = ClientAddress.https(request);
        ctx.addHeadersEndHandler(v -> {
            if (!swagger) {
                response.putHeader("Content-Security-Policy", policy);
            }
            response.putHeader("X-Frame-Options", "DENY")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "strict-origin-when-cross-origin");
            if (https) {
                response.putHeader("Strict-Transport-Security", "max-age=31536000");
            }
        });
        ctx.next();
    }

    String policy() {
        return policy;
    }

    /** The CSP source of the chart's inline style: {@code sha256-} and the base64 digest of its text. */
    static String chartStyleHash() {
        try (InputStream in = SecurityHeaders.class.getClassLoader().getResourceAsStream(CHART_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + CHART_TEMPLATE);
            }
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = template.indexOf("<style>{|") + "<style>{|".length();
            int end = template.indexOf("|}</style>");
            return hash(template.substring(start, end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String hash(String inline) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
