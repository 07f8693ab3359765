package org.downwatch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Function;
import org.downwatch.shared.HttpCache;
import org.downwatch.web.PageCache;

/**
 * The API's reads of one service served like its page: from the per-minute cache of {@link PageCache}
 * (same version, same invalidation, same memory bound), serialized once per variant and minute, plain and
 * gzip. The {@code ETag} is the version's, so that {@code If-None-Match} gets its 304 without reading or
 * serializing anything; {@code Cache-Control: public} with the API's short max-age and as long again of
 * {@code stale-while-revalidate}. Before the first evaluated minute (or with detection stalled) the read is
 * answered as before, through {@link ApiHttpCache}.
 */
@ApplicationScoped
public class SnapshotJson {

    private final PageCache cache;
    private final ObjectMapper mapper;
    private final long maxAge;

    SnapshotJson(PageCache cache, ObjectMapper mapper, ApiConfig config) {
        this.cache = cache;
        this.mapper = mapper;
        this.maxAge = config.cache().maxAge().toSeconds();
    }

    /**
     * @param variant what the body depends on besides the version (endpoint, service, language)
     * @param byAcceptLanguage true when {@code Accept-Language} chose the body's language (it is then in {@code Vary})
     * @param body the body as of an instant (the end of the evaluated minute when cached)
     */
    public Response serve(String variant, boolean byAcceptLanguage, Request request, HttpHeaders headers,
            Function<Instant, Object> body) {
        PageCache.Version version = cache.version();
        if (version == null) {
            return Response.ok(body.apply(Instant.now()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        String key = "json " + variant;
        EntityTag etag = cache.etag(key, version);
        Response.ResponseBuilder r;
        boolean gzip = false;
        if (HttpCache.notModified(request, etag)) {
            r = Response.notModified(etag);
        } else {
            PageCache.Rendered bytes = cache.get(key, version, () -> json(body.apply(version.now())));
            String accept = headers.getHeaderString(HttpHeaders.ACCEPT_ENCODING);
            gzip = accept != null && accept.contains("gzip");
            r = Response.ok(gzip ? bytes.gzip() : bytes.plain(), MediaType.APPLICATION_JSON_TYPE).tag(etag);
        }
        if (gzip) {
            r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return r.header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + maxAge + ", stale-while-revalidate=" + maxAge)
                .header(HttpHeaders.VARY, byAcceptLanguage ? "Accept-Language, Accept-Encoding" : "Accept-Encoding").build();
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
