package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.downwatch.shared.Lang;

/**
 * Who is looking at a page: their language (fr/en) and where they are (to build the language switch).
 * Nothing here comes from a cookie, so that a page is the same for everyone who asks for it in a language
 * and a shared cache (a CDN) may keep it: the language is {@code ?lang=} or else {@code Accept-Language};
 * times are written in the language's zone (Europe/Paris for French, UTC for English) inside
 * {@code <time datetime>} elements, which {@code /js/downwatch.js} rewrites into the browser's zone.
 *
 * @param langFromQuery true when {@code ?lang=} chose the language: the page's own links then keep it
 */
@TemplateData
public record Visitor(String lang, boolean langFromQuery, String path, String query) {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** Kept for callers written when the zone came from a cookie: the zone is now the language's, whatever is given. */
    @Deprecated
    public Visitor(String lang, ZoneId zone, boolean zoneKnown, boolean langFromQuery, String path, String query) {
        this(lang, langFromQuery, path, query);
    }

    public static Visitor of(HttpHeaders headers, UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        String queryLang = params.getFirst("lang");
        String lang = Lang.resolve(queryLang, headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        StringBuilder rest = new StringBuilder();
        params.forEach((k, values) -> {
            if (!k.equals("lang") && !k.equals("reported") && !k.equals("report_error")) {
                for (String value : values) {
                    rest.append('&').append(encode(k)).append('=').append(encode(value));
                }
            }
        });
        return new Visitor(lang, Lang.supported(queryLang) != null, uri.getPath(), rest.toString());
    }

    /** The zone times are written in: the language's (the browser's own zone is applied by the page's script). */
    public ZoneId zone() {
        return fr() ? PARIS : ZoneOffset.UTC;
    }

    public boolean fr() {
        return Lang.FR.equals(lang);
    }

    public Locale locale() {
        return fr() ? Locale.FRENCH : Locale.ENGLISH;
    }

    /** The other language's code. */
    public String otherLang() {
        return fr() ? Lang.EN : Lang.FR;
    }

    /** This page in the other language: {@code ?lang=} first, the page's other parameters after it. */
    public String switchUrl() {
        return localPath(path) + "?lang=" + otherLang() + query;
    }

    /** What the page's links carry to keep a language chosen by URL ({@code ?lang=fr}), or "" (Accept-Language chose it). */
    public String langParam() {
        return langFromQuery ? "lang=" + lang : "";
    }

    /**
     * The path as a same-site link: leading slashes, backslashes and blanks collapse to one slash (a decoded
     * {@code /%2Fevil.example} would be the protocol-relative {@code //evil.example}), and characters that do
     * not belong in a path are percent-encoded.
     */
    static String localPath(String path) {
        if (path == null) {
            return "/";
        }
        int i = 0;
        while (i < path.length() && (path.charAt(i) == '/' || path.charAt(i) == '\\' || path.charAt(i) <= ' ')) {
            i++;
        }
        StringBuilder b = new StringBuilder("/");
        for (byte c : path.substring(i).getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/!$'()*+,;=:@".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    /** The zone's id as people know it ("Europe/Paris", "UTC"). */
    public String zoneName() {
        return fr() ? PARIS.getId() : "UTC";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
