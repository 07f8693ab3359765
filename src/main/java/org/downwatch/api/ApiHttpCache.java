package org.downwatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * HTTP caching of the API's read endpoints: a strong {@code ETag} (hash of the body as it is sent),
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

    @ServerResponseFilter
    public void cache(ContainerRequestContext request, ContainerResponseContext response) throws JsonProcessingException {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        if (!("GET".equals(method) || "HEAD".equals(method)) || !path.startsWith("/api/v1/")
                || path.startsWith("/api/v1/admin") || response.getStatus() != 200 || !response.hasEntity()
                || response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            return; // a resource that set its own Cache-Control (private answers, streamed exports) keeps it
        }
        Object entity = response.getEntity();
        byte[] body = entity instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : entity instanceof byte[] bytes ? bytes : mapper.writeValueAsBytes(entity);
        String etag = etag(body);
        long maxAge = (path.startsWith("/api/v1/categories") ? config.cache().categoriesMaxAge() : config.cache().maxAge())
                .toSeconds();
        MultivaluedMap<String, Object> h = response.getHeaders();
        h.putSingle(HttpHeaders.ETAG, etag);
        h.putSingle(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAge);
        h.putSingle(HttpHeaders.VARY, "Accept-Language");
        if (matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.setEntity(null);
        }
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9110 weak comparison: {@code *}, or any listed tag equal to ours once {@code W/} is ignored. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
