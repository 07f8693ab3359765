package org.downwatch.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletionException;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * The flash-crowd path of {@code POST /api/v1/services/{slug}/reports}: a plain Vert.x route in front of
 * {@link ReportResource} for the usual request (a JSON body of known length, an answer in JSON), with
 * exactly the resource's rules, code and answers ({@link ReportJson}, {@link ReportService},
 * {@link ReportResource#answer}). It skips what the REST layer does for every request and this one does
 * not need: the request scope, content negotiation, the filter chains and the response writer lookup,
 * which took about a third of the event loops' CPU in the ingest profile.
 * <p>
 * Anything else (another or no content type, a chunked body, an Accept other than JSON or any) goes on to the
 * resource, which stays the documented endpoint (OpenAPI) and answers those cases (415, 406, 413).
 */
@ApplicationScoped
class ReportRoute {

    private static final Logger LOG = Logger.getLogger(ReportRoute.class);
    static final String PATH = "/api/v1/services/:slug/reports";
    private static final String JSON = "application/json";

    private final ReportService reports;
    private final ReportJson body;
    private final ObjectWriter answers;
    private final ObjectWriter problems;

    ReportRoute(ReportService reports, ReportJson body, ObjectMapper json) {
        this.reports = reports;
        this.body = body;
        this.answers = json.writerFor(ReportResource.ReportAnswer.class);
        this.problems = json.writerFor(Problem.class);
    }

    void install(@Observes Router router) {
        // after ApiCors (-100), before the REST layer's routes
        router.post(PATH).order(-10).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (BrowserOrigin.crossSite(request)) {
            problem(ctx, BrowserOrigin.forbidden());
            return;
        }
        long length = usualRequest(request);
        if (length < 0) {
            ctx.next();
            return;
        }
        if (length > ReportResource.MAX_BODY) {
            problem(ctx, ReportBodyLimit.tooLarge());
            return;
        }
        // handler() rather than body(): Quarkus resumes the paused request when a handler is set
        Buffer body = Buffer.buffer((int) length);
        request.exceptionHandler(ctx::fail);
        request.handler(body::appendBuffer);
        request.endHandler(end -> report(ctx, body.getBytes()));
    }

    /**
     * The Content-Length of a request this route answers itself (a JSON body of known length, JSON
     * acceptable in return), or -1 when it is left to the resource.
     */
    static long usualRequest(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (type == null || length == null || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || !isJson(type) || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            return -1;
        }
        try {
            long n = Long.parseLong(length.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * {@code application/json}, whatever its parameters: like the resource, which reads the bytes as JSON
     * (UTF-8, RFC 8259) and ignores a charset.
     */
    static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().equalsIgnoreCase(JSON);
    }

    /** No Accept, {@code *}/{@code *} or exactly JSON; anything finer is negotiated by the resource. */
    static boolean acceptsJson(String accept) {
        return accept == null || accept.isBlank() || accept.trim().equals("*/*") || accept.trim().equalsIgnoreCase(JSON);
    }

    private void report(RoutingContext ctx, byte[] body) {
        HttpServerRequest request = ctx.request();
        try {
            if (body.length > ReportResource.MAX_BODY) {
                throw ReportBodyLimit.tooLarge();
            }
            reports.checkRate(ClientAddress.of(request));
            Service service = reports.service(ctx.pathParam("slug"));
            reports.report(service, this.body.read(body), "api", request).whenComplete((r, failure) -> {
                if (failure != null) {
                    problem(ctx, failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                } else {
                    answer(ctx, r);
                }
            });
        } catch (RuntimeException e) {
            problem(ctx, e);
        }
    }

    private void answer(RoutingContext ctx, ReportService.Result r) {
        HttpServerResponse response = ctx.response();
        byte[] body;
        try {
            body = answers.writeValueAsBytes(ReportResource.answer(r));
        } catch (JsonProcessingException e) {
            problem(ctx, new IllegalStateException(e));
            return;
        }
        if (r.counted()) {
            response.setStatusCode(201).putHeader(HttpHeaders.LOCATION, ReportResource.location(ctx.request(), r));
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8").end(Buffer.buffer(body));
    }

    /** A problem details answer, as {@code ProblemMappers} gives it under {@code /api/}. */
    private void problem(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        Problem p;
        if (failure instanceof ProblemException e) {
            p = e.problem();
            e.headers().forEach(response::putHeader);
        } else {
            LOG.error("Unexpected error on " + ctx.request().path(), failure);
            p = Problem.of(500, "Internal error", "Something went wrong on our side. It was logged.");
        }
        try {
            byte[] body = problems.writeValueAsBytes(p.withInstance(ctx.request().path()));
            response.setStatusCode(p.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }
}
