package org.downwatch.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error becomes RFC 9457 problem details under {@code /api/}, and a friendly page elsewhere.
 * Never a stack trace, never an exception class name.
 */
@ApplicationScoped
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final List<HtmlErrorPage> pages;

    ProblemMappers(@All List<HtmlErrorPage> pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpHeaders headers, UriInfo uri) {
        return respond(e.problem(), e.headers(), headers, uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString()))
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage())).toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(Problem.invalid(detail, errors), Map.of(), headers, uri);
    }

    /**
     * Quarkus' Jackson integration has a built-in mapper for exactly this type (a bare 400 without a body,
     * e.g. for a JSON array where an object is expected): a mapper of the same type with a higher priority wins.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(MismatchedInputException e, HttpHeaders headers, UriInfo uri) {
        return json(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpHeaders headers, UriInfo uri) {
        Problem p;
        if (e instanceof UnrecognizedPropertyException u) {
            p = Problem.invalid("Unknown field: " + u.getPropertyName(),
                    List.of(new Problem.FieldError(u.getPropertyName(), "unknown field")));
        } else if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            MismatchedInputException m = (MismatchedInputException) e;
            String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            p = field.isEmpty() ? Problem.invalid("The body must be a JSON object", List.of(new Problem.FieldError("body", "not a JSON object")))
                    : Problem.invalid(field + ": wrong type", List.of(new Problem.FieldError(field, "wrong type")));
        } else {
            p = Problem.invalid("Malformed JSON at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ", column " + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr()),
                    List.of(new Problem.FieldError("body", "malformed JSON")));
        }
        return respond(p, Map.of(), headers, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(jpe, headers, uri);
        }
        Map<String, String> extra = e.getResponse().getHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Allow") || h.getKey().equalsIgnoreCase("Retry-After"))
                .collect(Collectors.toMap(Map.Entry::getKey, h -> String.valueOf(h.getValue().get(0))));
        return respond(Problem.of(status, titleFor(status), detailFor(status, uri)), extra, headers, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, HttpHeaders headers, UriInfo uri) {
        LOG.error("Unexpected error on " + uri.getPath(), e);
        return respond(Problem.of(500, "Internal error", "Something went wrong on our side. It was logged."), Map.of(), headers, uri);
    }

    private Response respond(Problem problem, Map<String, String> extra, HttpHeaders headers, UriInfo uri) {
        Problem p = problem.withInstance(uri.getPath());
        Response r;
        if (isApi(uri)) {
            r = Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
        } else if (!pages.isEmpty()) {
            r = pages.get(0).render(p, headers, uri);
        } else {
            r = Response.status(p.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity("<!DOCTYPE html><title>" + escape(p.title()) + "</title><h1>" + escape(p.title())
                            + "</h1><p>" + escape(p.detail()) + "</p><p><a href=\"/\">Downwatch home</a></p>")
                    .build();
        }
        if (extra.isEmpty()) {
            return r;
        }
        Response.ResponseBuilder b = Response.fromResponse(r);
        extra.forEach(b::header);
        return b.build();
    }

    static boolean isApi(UriInfo uri) {
        String path = uri.getPath();
        return path.startsWith("/api/") || path.equals("/api");
    }

    private static String fieldName(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // "report.body.city" -> "city": the client knows its own field names, not our method names
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401, 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> "Error";
        };
    }

    private static String detailFor(int status, UriInfo uri) {
        return switch (status) {
            case 404 -> "Nothing here: " + uri.getPath();
            case 405 -> "This method is not allowed here";
            case 406 -> "No representation matches the Accept header";
            case 413 -> "The request body is too large";
            case 415 -> "This content type is not accepted here";
            default -> titleFor(status);
        };
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
