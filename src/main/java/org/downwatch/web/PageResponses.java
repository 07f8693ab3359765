package org.downwatch.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Supplier;
import org.downwatch.shared.Lang;

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

    static Response ok(TemplateInstance page, Visitor v, HttpHeaders headers, MediaType type) {
        return ok(page, v, headers, type, null, true);
    }

    /**
     * @param token the form token to put where {@link #TOKEN_MARK} was rendered (null: none); it is
     *        left out of the ETag so that a page is the same page whatever its token
     * @param cacheable false for pages that answer an action (thank-you): revalidated every time
     */
    static Response ok(TemplateInstance page, Visitor v, HttpHeaders headers, MediaType type, Supplier<String> token,
            boolean cacheable) {
        String body = page.setLocale(v.locale()).render();
        EntityTag etag = new EntityTag(hash(body));
        boolean setCookie = v.langFromQuery();
        Response.ResponseBuilder r;
        if (!setCookie && matches(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)) {
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

    static boolean matches(String ifNoneMatch, EntityTag etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals("\"" + etag.getValue() + "\"")) {
                return true;
            }
        }
        return false;
    }

    static String hash(String body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String s) {
        return org.downwatch.shared.ProblemMappers.escape(s == null ? "" : s);
    }
}
