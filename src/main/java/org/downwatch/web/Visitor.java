package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.downwatch.shared.Lang;

/**
 * Who is looking at a page: their language (fr/en) and time zone, and where they are (to build the
 * language switch). The zone comes from the {@code tz} cookie a few lines of JS set from the browser;
 * unknown, it is Europe/Paris for French and UTC for English.
 *
 * @param langFromQuery true when {@code ?lang=} chose the language: the answer then sets the cookie
 */
@TemplateData
public record Visitor(String lang, ZoneId zone, boolean zoneKnown, boolean langFromQuery, String path, String query) {

    public static final String TZ_COOKIE = "tz";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    public static Visitor of(HttpHeaders headers, UriInfo uri) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        String queryLang = params.getFirst("lang");
        Map<String, Cookie> cookies = headers.getCookies();
        String lang = Lang.resolve(queryLang, value(cookies.get(Lang.COOKIE)),
                headers.getHeaderString(HttpHeaders.ACCEPT_LANGUAGE));
        ZoneId zone = zone(value(cookies.get(TZ_COOKIE)));
        StringBuilder rest = new StringBuilder();
        params.forEach((k, values) -> {
            if (!k.equals("lang") && !k.equals("reported") && !k.equals("report_error")) {
                for (String value : values) {
                    rest.append('&').append(encode(k)).append('=').append(encode(value));
                }
            }
        });
        return new Visitor(lang, zone == null ? (Lang.FR.equals(lang) ? PARIS : ZoneOffset.UTC) : zone, zone != null,
                Lang.supported(queryLang) != null, uri.getPath(), rest.toString());
    }

    /** A valid region zone id ("Europe/Paris") or null: anything else a browser sends is ignored. */
    static ZoneId zone(String id) {
        if (id == null || id.length() > 64 || !ZONES.contains(id)) {
            return null;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
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

    /** This page in the other language (the link sets the remembered cookie). */
    public String switchUrl() {
        return localPath(path) + "?lang=" + otherLang() + query;
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
        return zone.getId().equals("Z") ? "UTC" : zone.getId();
    }

    private static String value(Cookie c) {
        return c == null ? null : c.getValue();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
