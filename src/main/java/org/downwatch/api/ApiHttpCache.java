package org.downwatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import org.downwatch.shared.HttpCache;
import org.downwatch.shared.PublicCache;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * HTTP caching of the endpoints marked {@link PublicCache}: the {@code ETag} of the body as it is sent,
 * {@code If-None-Match} answered with 304, and {@code Cache-Control: public} with a short max-age for
 * data that changes every minute, a longer one for categories.
 */
public class ApiHttpCache {

    private final ObjectMapper mapper;
    private final ApiConfig config;

    ApiHttpCache(ObjectMapper mapper, ApiConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    @PublicCache
    @ServerResponseFilter
    public void cache(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource)
            throws JsonProcessingException {
        String method = request.getMethod();
        if (!("GET".equals(method) || "HEAD".equals(method)) || response.getStatus() != 200 || !response.hasEntity()
                || response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            return; // a resource that set its own Cache-Control (private answers, streamed exports) keeps it
        }
        Object entity = response.getEntity();
        byte[] body = entity instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : entity instanceof byte[] bytes ? bytes : mapper.writeValueAsBytes(entity);
        EntityTag etag = HttpCache.etag(body);
        long maxAge = (lifetime(resource) == PublicCache.Lifetime.CATALOG ? config.cache().categoriesMaxAge()
                : config.cache().maxAge()).toSeconds();
        MultivaluedMap<String, Object> h = response.getHeaders();
        h.putSingle(HttpHeaders.ETAG, etag);
        // a shared cache may serve it a little stale while it fetches the next minute
        h.putSingle(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAge + ", stale-while-revalidate=" + maxAge);
        h.putSingle(HttpHeaders.VARY, "Accept-Language");
        if (HttpCache.notModified(request.getRequest(), etag)) {
            response.setStatus(304);
            response.setEntity(null);
        }
    }

    private static PublicCache.Lifetime lifetime(ResourceInfo resource) {
        PublicCache onMethod = resource.getResourceMethod().getAnnotation(PublicCache.class);
        PublicCache marked = onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(PublicCache.class);
        return marked == null ? PublicCache.Lifetime.LIVE : marked.value();
    }
}
