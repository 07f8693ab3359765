package org.downwatch.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.downwatch.shared.HttpCache;
import org.downwatch.shared.ProblemMappers;

/**
 * Turns a rendered page into a response: {@code Cache-Control}, {@code Vary} and an {@code ETag}, answering
 * {@code 304} when the browser already has it. Nothing depends on a cookie: a page is the same for everyone
 * who asks for its URL in its language, so pages are {@code public} (except an answer to a form, which holds
 * a per-request token) and {@code Vary} names {@code Accept-Language} only when it chose the language.
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
        String body = render(page, v, type);
        EntityTag etag = HttpCache.etag(body);
        Response.ResponseBuilder r;
        if (HttpCache.notModified(request, etag)) {
            r = Response.notModified(etag);
        } else {
            if (token != null) {
                body = body.replace(TOKEN_MARK, escape(token.get()));
            }
            r = Response.ok(body, type).tag(etag);
        }
        CacheControl cc = new CacheControl();
        if (!cacheable) {
            cc.setNoCache(true);
            cc.setPrivate(true);
        } else if (token != null) {
            // a per-request token: the browser's only
            cc.setMaxAge(MAX_AGE);
            cc.setPrivate(true);
        } else {
            r.header(HttpHeaders.CACHE_CONTROL, SHARED);
            return vary(r, v, false).header(HttpHeaders.CONTENT_LANGUAGE, v.lang()).build();
        }
        return vary(r.cacheControl(cc), v, false).header(HttpHeaders.CONTENT_LANGUAGE, v.lang()).build();
    }

    /** A page from {@link PageCache}: shared caches may keep it a little longer than it is fresh. */
    static final String SHARED = "public, max-age=" + MAX_AGE + ", stale-while-revalidate=" + 2 * MAX_AGE;

    /**
     * Serves a page from the cache of the last evaluated minute when it can be shared: only the query
     * parameters the caller lists (and {@code lang}). Otherwise renders it as {@link #ok} does.
     *
     * @param page renders the page as of an instant with a form token (or the token mark)
     * @param token the per-request token for a page rendered per request (null: the page has no form)
     */
    static Response cached(PageCache cache, String variant, Visitor v, Request request, HttpHeaders headers,
            UriInfo uri, Set<String> params, MediaType type, BiFunction<Instant, String, TemplateInstance> page,
            Supplier<String> token) {
        PageCache.Version version = cache.version();
        if (version == null || !shareable(params, uri.getQueryParameters().keySet())) {
            return ok(page.apply(Instant.now(), token == null ? null : TOKEN_MARK), v, request, type, token, true);
        }
        // a language chosen by URL is another variant: its links keep ?lang=
        String key = type.getSubtype() + " " + v.lang() + (v.langFromQuery() ? " url " : " ") + v.path() + "?" + v.query();
        EntityTag etag = cache.etag(key, version);
        Response.ResponseBuilder r;
        boolean gzip = false;
        if (HttpCache.notModified(request, etag)) {
            r = Response.notModified(etag);
        } else {
            PageCache.Rendered bytes = cache.get(key, version,
                    () -> render(page.apply(version.now(), version.token()), v, type));
            String accept = headers.getHeaderString(HttpHeaders.ACCEPT_ENCODING);
            gzip = accept != null && accept.contains("gzip");
            r = Response.ok(gzip ? bytes.gzip() : bytes.plain(), type).tag(etag);
        }
        if (gzip) {
            r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return vary(r.header(HttpHeaders.CACHE_CONTROL, SHARED), v, true).header(HttpHeaders.CONTENT_LANGUAGE, v.lang()).build();
    }

    /** Only the listed parameters, and {@code lang}: anything else is rendered per request. */
    private static boolean shareable(Set<String> params, Set<String> asked) {
        for (String p : asked) {
            if (!p.equals("lang") && !params.contains(p)) {
                return false;
            }
        }
        return true;
    }

    /** The page in its language, with the language kept in its links when the URL chose it ({@link LangLinks}). */
    private static String render(TemplateInstance page, Visitor v, MediaType type) {
        String body = page.setLocale(v.locale()).render();
        return type == HTML && v.langFromQuery() ? LangLinks.keep(body, v.lang()) : body;
    }

    /**
     * What a shared cache must key the answer on besides its URL: {@code Accept-Language} when it chose the
     * language (not when {@code ?lang=} did), {@code Accept-Encoding} when the bytes may be gzip. Never a cookie.
     */
    private static Response.ResponseBuilder vary(Response.ResponseBuilder r, Visitor v, boolean encoding) {
        String vary = v.langFromQuery() ? (encoding ? "Accept-Encoding" : null)
                : encoding ? "Accept-Language, Accept-Encoding" : "Accept-Language";
        return vary == null ? r : r.header(HttpHeaders.VARY, vary);
    }

    private static String escape(String s) {
        return ProblemMappers.escape(s == null ? "" : s);
    }
}
