package org.downwatch.report;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.downwatch.catalog.Catalog;
import org.downwatch.catalog.ProblemType;
import org.downwatch.catalog.Service;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.ProblemException;
import org.downwatch.shared.RateLimiter;
import org.downwatch.shared.RateLimits;

/**
 * Accepting a report, from the API or the site: rate limit per client network, validation against the
 * catalog, the reporter's keyed hashes, then the group commit of {@link ReportQueue}. Nothing here
 * blocks: the answer comes when the report's batch committed.
 */
@ApplicationScoped
public class ReportService {

    static final int MAX_CITY = 100;
    static final int MAX_POSTCODE = 16;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** What a person sent, as sent (blank fields are absent). */
    record Input(String problem, String country, String city, String postcode) {
    }

    /** The answer: counted (with the report's id) or not, and why not ({@code duplicate}, {@code network-limit}). */
    record Result(Service service, ProblemType problem, Instant receivedAt, Deduplication.Verdict verdict, long id) {
        boolean counted() {
            return verdict == Deduplication.Verdict.COUNTED;
        }
    }

    private final Catalog catalog;
    private final ReporterKeys keys;
    private final ReportQueue queue;
    private final ReportClock clock;
    private final RateLimiter limiter;
    private final int rateLimit;
    private final Duration window;

    ReportService(Catalog catalog, ReporterKeys keys, ReportQueue queue, ReportClock clock, ReportConfig config,
            RateLimits limits) {
        this.catalog = catalog;
        this.keys = keys;
        this.queue = queue;
        this.clock = clock;
        this.limiter = limits.limiter("report", config.ratePeriod(), 200_000);
        this.rateLimit = config.rateLimit();
        this.window = config.window();
    }

    /** Loads the catalog before the first report: reports are accepted on I/O threads, which must not block. */
    void warmUp(@Observes StartupEvent event) {
        catalog.services();
    }

    /** The service, or a 404. */
    Service service(String slug) {
        return catalog.resolve(slug).orElseThrow(() -> ProblemException.notFound("No service has the slug " + slug));
    }

    /** The slug of one of the catalog's problem types (its id when the catalog no longer has it). */
    String problemSlug(Service service, int problemTypeId) {
        return catalog.problemType(problemTypeId).map(p -> p.slug).orElse(Integer.toString(problemTypeId));
    }

    /** Too many requests from this client's network: 429 with Retry-After. */
    void checkRate(String address) {
        RateLimiter.Decision d = limiter.tryAcquire(ClientAddress.network(address), rateLimit);
        if (!d.allowed()) {
            throw ProblemException.tooManyRequests("Too many reports from your address; retry in "
                    + d.retryAfterSeconds() + " s", d.retryAfterSeconds());
        }
    }

    /**
     * Validates, hashes the reporter and queues the report; throws ProblemException (400) and fails with
     * 503. The caller has checked the rate ({@link #checkRate}) and the service ({@link #service}).
     */
    CompletionStage<Result> report(Service service, Input input, String source, HttpServerRequest request) {
        String address = ClientAddress.of(request);
        ProblemType problem = problem(service, input.problem());
        String country = country(input.country());
        String city = text("city", input.city(), MAX_CITY);
        String postcode = text("postcode", input.postcode(), MAX_POSTCODE);

        Instant now = clock.now();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String userAgent = request.getHeader("User-Agent");
        String network = ClientAddress.network(address);
        String wide = ClientAddress.wideNetwork(address);
        boolean nearMidnight = now.plus(window).isAfter(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Submission s = new Submission(service.id, problem.id, now, country, city, postcode, source,
                keys.reporter(day, address, userAgent), keys.network(day, network),
                nearMidnight ? keys.reporter(day.plusDays(1), address, userAgent) : null,
                nearMidnight ? keys.network(day.plusDays(1), network) : null,
                keys.wide(day, wide), nearMidnight ? keys.wide(day.plusDays(1), wide) : null, keys.networkBit(wide));
        // The queue answers every submission within downwatch.report.timeout (a Vert.x timer per request),
        // whatever the database does.
        return queue.submit(s).thenApply(o -> new Result(service, problem, now, o.verdict(), o.id()));
    }

    /**
     * "It works for me" (issue 24): the same path as {@link #report}, with the same rules (the caller checks
     * the rate and the service), under the reporter's "works" hashes; the result has no problem type and
     * no id. Nothing about the person is kept beyond the de-duplication window, not even a place.
     */
    CompletionStage<Result> works(Service service, String source, HttpServerRequest request) {
        String address = ClientAddress.of(request);
        Instant now = clock.now();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String userAgent = request.getHeader("User-Agent");
        String network = ClientAddress.network(address);
        String wide = ClientAddress.wideNetwork(address);
        boolean nearMidnight = now.plus(window).isAfter(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        // the network bit is unused: signals never enter the sketch of distinct networks detection reads
        Submission s = new Submission(service.id, Submission.WORKS, now, null, null, null, source,
                keys.worksReporter(day, address, userAgent), keys.worksNetwork(day, network),
                nearMidnight ? keys.worksReporter(day.plusDays(1), address, userAgent) : null,
                nearMidnight ? keys.worksNetwork(day.plusDays(1), network) : null,
                keys.worksWide(day, wide), nearMidnight ? keys.worksWide(day.plusDays(1), wide) : null, keys.networkBit(wide));
        return queue.submit(s).thenApply(o -> new Result(service, null, now, o.verdict(), o.id()));
    }

    static ProblemType problemOf(Catalog catalog, Service service, String slug) {
        if (slug == null || slug.isBlank()) {
            throw ProblemException.invalid("problem", "required: one of the service's problem types");
        }
        return catalog.problemType(service.id, slug.strip()).orElseThrow(() -> ProblemException.invalid("problem",
                "not a problem type of " + service.slug + ": " + truncate(slug)));
    }

    private ProblemType problem(Service service, String slug) {
        return problemOf(catalog, service, slug);
    }

    /** ISO 3166-1 alpha-2 (any case), or absent. */
    static String country(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String c = value.strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(c)) {
            throw ProblemException.invalid("country", "not an ISO 3166-1 alpha-2 country code: " + truncate(value));
        }
        return c;
    }

    /** Trimmed free text of at most {@code max} characters without control characters, or absent. */
    static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.codePointCount(0, v.length()) > max) {
            throw ProblemException.invalid(field, "at most " + max + " characters");
        }
        if (v.codePoints().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalid(field, "must not contain control characters");
        }
        return v;
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
