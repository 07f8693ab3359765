package org.downwatch.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.downwatch.shared.ClientAddress;
import org.downwatch.shared.Problem;
import org.downwatch.shared.RateLimited;
import org.downwatch.shared.RateLimited.Budget;
import org.downwatch.shared.RateLimiter;
import org.downwatch.shared.RateLimits;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Rate limits of the endpoints marked {@link RateLimited}, per client: an API key ({@code X-Api-Key}) has
 * its own, higher budget; without one, the budget is per address (IPv4, or IPv6 /64). Reads (every
 * {@code /api/v1} endpoint but report submissions, which the report feature limits itself) and backtests
 * have separate budgets.
 * Every limited response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (IETF draft, delta seconds); a refusal is a 429 with {@code Retry-After}.
 */
public class ApiRateLimit {

    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String DECISION = ApiRateLimit.class.getName() + ".decision";

    private final ApiConfig config;
    private final ApiKeys keys;
    private final RateLimiter reads;
    private final RateLimiter backtests;

    ApiRateLimit(ApiConfig config, ApiKeys keys, RateLimits limits) {
        this.config = config;
        this.keys = keys;
        this.reads = limits.limiter("api", config.rateLimit().period(), config.rateLimit().maxClients());
        this.backtests = limits.limiter("backtest", config.rateLimit().period(), config.rateLimit().maxClients());
    }

    @RateLimited
    @ServerRequestFilter
    public Optional<Response> limit(ContainerRequestContext ctx, HttpServerRequest request, ResourceInfo resource) {
        ApiConfig.RateLimit cfg = config.rateLimit();
        if (!cfg.enabled()) {
            return Optional.empty();
        }
        String path = ctx.getUriInfo().getPath();
        Budget budget = budget(resource);
        String key;
        long capacity;
        String anonymousKey = "ip:" + ClientAddress.network(ClientAddress.of(request));
        long anonymousCapacity = budget == Budget.BACKTEST ? cfg.backtestAnonymous() : cfg.anonymous();
        String apiKey = ctx.getHeaderString(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            Optional<ApiKeys.Known> known = keys.find(apiKey.trim());
            if (known.isEmpty()) {
                // a wrong key costs the address's anonymous budget: guessing keys is rate-limited too
                RateLimiter.Decision d = reads.tryAcquire(anonymousKey, cfg.anonymous());
                ctx.setProperty(DECISION, d);
                if (!d.allowed()) {
                    return Optional.of(tooMany(d, path, false));
                }
                return Optional.of(Response.status(401).type(Problem.MEDIA_TYPE)
                        .header("WWW-Authenticate", "ApiKey header=\"" + API_KEY_HEADER + "\"")
                        .entity(Problem.of(401, "Unknown API key",
                                "The X-Api-Key is unknown or revoked; leave it out to use the anonymous limits")
                                .withInstance(path))
                        .build());
            }
            key = "key:" + known.get().id();
            capacity = budget == Budget.BACKTEST ? cfg.backtestApiKey()
                    : known.get().rateLimit() != null ? known.get().rateLimit() : cfg.apiKey();
        } else {
            key = anonymousKey;
            capacity = anonymousCapacity;
        }
        RateLimiter.Decision d = (budget == Budget.BACKTEST ? backtests : reads).tryAcquire(key, capacity);
        ctx.setProperty(DECISION, d);
        if (d.allowed()) {
            return Optional.empty();
        }
        return Optional.of(tooMany(d, path, key.equals(anonymousKey)));
    }

    /** The budget named on the method, else on its class. */
    static Budget budget(ResourceInfo resource) {
        RateLimited onMethod = resource.getResourceMethod().getAnnotation(RateLimited.class);
        RateLimited marked = onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(RateLimited.class);
        return marked == null ? Budget.READ : marked.value();
    }

    private Response tooMany(RateLimiter.Decision d, String path, boolean anonymous) {
        return Response.status(429).type(Problem.MEDIA_TYPE)
                .header("Retry-After", Long.toString(d.retryAfterSeconds()))
                .entity(Problem.of(429, "Too many requests", "Rate limit of " + d.limit() + " requests per "
                        + config.rateLimit().period().toSeconds() + " seconds exceeded; retry after "
                        + d.retryAfterSeconds() + " seconds" + (anonymous ? ", or use an API key (X-Api-Key)" : ""))
                        .withInstance(path))
                .build();
    }

    @RateLimited
    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimiter.Decision d) {
            MultivaluedMap<String, Object> h = response.getHeaders();
            h.putSingle("RateLimit-Limit", Long.toString(d.limit()));
            h.putSingle("RateLimit-Remaining", Long.toString(d.remaining()));
            h.putSingle("RateLimit-Reset", Long.toString(d.resetSeconds()));
            h.putSingle("RateLimit-Policy", d.limit() + ";w=" + config.rateLimit().period().toSeconds());
        }
    }
}
