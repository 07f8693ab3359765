package org.downwatch.detect;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.RateLimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/backtest}: runs a posted series through the live detector's code and settings. */
@RateLimited(RateLimited.Budget.BACKTEST)
@Path("/api/v1/backtest")
@Tag(name = "Backtest", description = "Run your own series through the detector")
public class BacktestResource {

    static final String CSV = "text/csv";

    /** Seconds a refused backtest is told to wait. */
    static final int RETRY_AFTER = 10;

    private final DetectConfig config;
    private final Semaphore running;

    BacktestResource(DetectConfig config) {
        this.config = config;
        this.running = new Semaphore(config.backtestConcurrency());
    }

    @POST
    @Consumes(CSV)
    @Produces({ CSV, MediaType.APPLICATION_JSON })
    @Operation(summary = "Run a series of counts through the detector",
            description = "Body: text/csv with the header timestamp,count and one row per bucket (ISO-8601 timestamps, "
                    + "increasing, equally spaced from 1 to 60 minutes; a gap is missing data). Answers one row per input row: "
                    + "timestamp,count,baseline,upper,score,anomaly (anomaly 1 where the live detector would be at problem). "
                    + "text/csv by default, JSON with Accept: application/json. Causal: a row depends only on rows up to it.")
    @APIResponse(responseCode = "200", description = "One answered row per input row")
    @APIResponse(responseCode = "400", description = "Malformed input; the detail names the line (the header is line 1)")
    @APIResponse(responseCode = "413", description = "More than 200,000 rows")
    @APIResponse(responseCode = "415", description = "Not text/csv")
    @APIResponse(responseCode = "503", description = "Too many backtests running on this instance; see Retry-After")
    public Response backtest(byte[] body,
            @Parameter(description = "The bucket, PT1M to PT60M; by default the spacing of the first two rows")
            @QueryParam("bucket") String bucket, HttpHeaders headers) {
        Integer minutes = bucket == null || bucket.isBlank() ? null : bucketMinutes(bucket);
        if (!running.tryAcquire()) {
            throw ProblemException.unavailable("Too many backtests are running; please retry shortly", RETRY_AFTER);
        }
        List<Backtest.Row> rows;
        try {
            // the body is UTF-8 (ASCII in practice), whatever charset the client claims
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            rows = Backtest.run(text, minutes, config.settings(), config.backtestMaxRows());
        } catch (Backtest.BadInput e) {
            String field = "line " + e.line;
            throw new ProblemException(Problem.invalid("Line " + e.line + ": " + e.getMessage(),
                    List.of(new Problem.FieldError(field, e.getMessage()))));
        } catch (Backtest.TooManyRows e) {
            throw new ProblemException(Problem.of(413, "Content too large", "A backtest takes " + e.getMessage() + "."));
        } finally {
            running.release();
        }
        if (wantsJson(headers)) {
            return Response.ok(rows, MediaType.APPLICATION_JSON).build();
        }
        return Response.ok(csv(rows), CSV + ";charset=UTF-8").build();
    }

    static int bucketMinutes(String bucket) {
        try {
            Duration d = Duration.parse(bucket.toUpperCase(Locale.ROOT));
            long m = d.toMinutes();
            if (d.toSeconds() % 60 == 0 && m >= 1 && m <= 60) {
                return (int) m;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ProblemException.invalid("bucket", "a whole number of minutes from PT1M to PT60M");
    }

    private static boolean wantsJson(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isWildcardType() || "text".equals(m.getType()) && ("csv".equals(m.getSubtype()) || m.isWildcardSubtype())) {
                return false;
            }
            if ("json".equals(m.getSubtype()) || m.getSubtype().endsWith("+json")) {
                return true;
            }
        }
        return false;
    }

    static String csv(List<Backtest.Row> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 48 + 64);
        sb.append("timestamp,count,baseline,upper,score,anomaly\n");
        for (Backtest.Row r : rows) {
            sb.append(r.timestamp()).append(',').append(r.count()).append(',');
            number(sb, r.baseline(), 1000);
            sb.append(',').append(r.upper()).append(',');
            number(sb, r.score(), 10000);
            sb.append(',').append(r.anomaly()).append('\n');
        }
        return sb.toString();
    }

    /** A compact decimal: at most log10(scale) decimals, no trailing zeros. */
    private static void number(StringBuilder sb, double v, long scale) {
        long n = Math.round(v * scale);
        sb.append(n / scale);
        long frac = n % scale;
        if (frac != 0) {
            String f = Long.toString(frac + scale).substring(1);
            int e = f.length();
            while (f.charAt(e - 1) == '0') {
                e--;
            }
            sb.append('.').append(f, 0, e);
        }
    }
}
