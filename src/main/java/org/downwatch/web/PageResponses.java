package org.downwatch.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.downwatch.shared.HttpCache;
import org.downwatch.shared.Lang;
import org.downwatch.shared.ProblemMappers;

/**
 * Turns a rendered page into a response: language cookie, {@code Cache-Control}, and an {@code ETag}
 * computed from the page itself, answering {@code 304} when the browser already has it.
 */
final class PageResponses {

    static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    static final MediaType SVG = new MediaType("image", "svg+xml", "UTF-8");
    /** Pages change with the per-minute counts: a browser may keep them this long. */
    static final int MAX_AGE = 30;
    /** Stands for the per-request form token while the ETag is computed. */
    static final String TOKEN_MARK = "dw-form-token-4c1e9a";

    private PageResponses() {
    }

    static Response ok(TemplateInstance page, Visitor v, Request request, MediaType type) {
        return ok(page, v, request, type, null, true);
    }

    /**
     * @param token the form token to put where {@link #TOKEN_MARK} was rendered (null: none); it is
     *        left out of the ETag so that a page is the same page whatever its token
     * @param cacheable false for pages that answer an action (thank-you): revalidated every time
     */
    static Response ok(TemplateInstance page, Visitor v, Request request, MediaType type, Supplier<String> token,
            boolean cacheable) {
        String body = page.setLocale(v.locale()).render();
        EntityTag etag = HttpCache.etag(body);
        boolean setCookie = v.langFromQuery();
        Response.ResponseBuilder r;
        if (!setCookie && HttpCache.notModified(request, etag)) {
            r = Response.notModified(etag);
        } else {
            if (token != null) {
                body = body.replace(TOKEN_MARK, escape(token.get()));
            }
            r = Response.ok(body, type).tag(etag);
        }
        CacheControl cc = new CacheControl();
        if (setCookie || !cacheable) {
            cc.setNoCache(true);
            cc.setPrivate(true);
        } else {
            cc.setMaxAge(MAX_AGE);
            cc.setPrivate(token != null);
        }
        r.cacheControl(cc).header(HttpHeaders.VARY, "Accept-Language, Cookie").header(HttpHeaders.CONTENT_LANGUAGE, v.lang());
        if (setCookie) {
            r.cookie(langCookie(v.lang()));
        }
        return r.build();
    }

    /** A page from {@link PageCache}: shared caches may keep it a little longer than it is fresh. */
    static final String SHARED = "public, max-age=" + MAX_AGE + ", stale-while-revalidate=" + 2 * MAX_AGE;

    /**
     * Serves a page from the cache of the last evaluated minute when it can be shared: no {@code ?lang=}
     * (which sets the cookie), no visitor's zone, only the query parameters the caller lists. Otherwise
     * renders it as {@link #ok} does.
     *
     * @param page renders the page as of an instant with a form token (or the token mark)
     * @param token the per-request token for a page rendered per request (null: the page has no form)
     */
    static Response cached(PageCache cache, String variant, Visitor v, Request request, HttpHeaders headers,
            UriInfo uri, Set<String> params, MediaType type, BiFunction<Instant, String, TemplateInstance> page,
            Supplier<String> token) {
        PageCache.Version version = cache.version();
        if (version == null || v.langFromQuery() || v.zoneKnown() || !params.containsAll(uri.getQueryParameters().keySet())) {
            return ok(page.apply(Instant.now(), token == null ? null : TOKEN_MARK), v, request, type, token, true);
        }
        String key = type.getSubtype() + " " + v.lang() + " " + v.path() + "?" + v.query();
        EntityTag etag = cache.etag(key, version);
        Response.ResponseBuilder r;
        boolean gzip = false;
        if (HttpCache.notModified(request, etag)) {
            r = Response.notModified(etag);
        } else {
            PageCache.Rendered bytes = cache.get(key, version,
                    () -> page.apply(version.now(), version.token()).setLocale(v.locale()).render());
            String accept = headers.getHeaderString(HttpHeaders.ACCEPT_ENCODING);
            gzip = accept != null && accept.contains("gzip");
            r = Response.ok(gzip ? bytes.gzip() : bytes.plain(), type).tag(etag);
        }
        if (gzip) {
            r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        // the cookies still choose the language and the zone; such requests are not served from here
        return r.header(HttpHeaders.CACHE_CONTROL, SHARED).header(HttpHeaders.VARY, "Accept-Language, Accept-Encoding, Cookie")
                .header(HttpHeaders.CONTENT_LANGUAGE, v.lang()).build();
    }

    static NewCookie langCookie(String lang) {
        return new NewCookie.Builder(Lang.COOKIE).value(lang).path("/").maxAge(365 * 24 * 3600)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    private static String escape(String s) {
        return ProblemMappers.escape(s == null ? "" : s);
    }
}
