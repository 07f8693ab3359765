package org.downwatch.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Request;
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

    static NewCookie langCookie(String lang) {
        return new NewCookie.Builder(Lang.COOKIE).value(lang).path("/").maxAge(365 * 24 * 3600)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    private static String escape(String s) {
        return ProblemMappers.escape(s == null ? "" : s);
    }
}
