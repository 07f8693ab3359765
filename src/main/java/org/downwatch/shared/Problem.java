package org.downwatch.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). For invalid input,
 * {@code errors} names each offending field (or parameter, or CSV line).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field, parameter or line, and what is wrong with it; {@code line} for a file's rows. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, Integer line) {

        public FieldError(String field, String message) {
            this(field, message, null);
        }
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(typeFor(status), title, status, detail, null, null);
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(typeFor(400), "Invalid request", 400, detail, null, errors == null || errors.isEmpty() ? null : errors);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, errors);
    }

    /** A stable, documented type URI per kind of problem (the site documents them on the API page). */
    static String typeFor(int status) {
        return switch (status) {
            case 400 -> "https://downwatch.org/problems/invalid-request";
            case 401 -> "https://downwatch.org/problems/unauthorized";
            case 403 -> "https://downwatch.org/problems/forbidden";
            case 404 -> "https://downwatch.org/problems/not-found";
            case 405 -> "https://downwatch.org/problems/method-not-allowed";
            case 406 -> "https://downwatch.org/problems/not-acceptable";
            case 413 -> "https://downwatch.org/problems/too-large";
            case 415 -> "https://downwatch.org/problems/unsupported-media-type";
            case 429 -> "https://downwatch.org/problems/rate-limited";
            case 503 -> "https://downwatch.org/problems/unavailable";
            default -> "about:blank";
        };
    }
}
