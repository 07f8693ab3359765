package org.downwatch.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a language chosen by URL while the visitor moves around: in a page asked for with {@code ?lang=fr},
 * every link to another of our pages ({@code href="/..."}, a form's {@code action="/..."}) gets
 * {@code lang=fr}, and a GET form (search) a hidden {@code lang} field. Without a cookie, this is how the
 * language switch lasts; a page asked for without {@code ?lang=} (Accept-Language chose) is left as it is,
 * so that its links stay the plain, shared URLs. Done on the rendered page, once per cached variant, so
 * that every section (whoever writes it) keeps the language without knowing about it.
 */
final class LangLinks {

    /** A same-site absolute path in a link or a form (not {@code //host}), with its fragment apart. */
    private static final Pattern LINK = Pattern.compile("\\b(href|action)=\"(/(?![/\\\\])[^\"#]*)(#[^\"]*)?\"");
    private static final Pattern GET_FORM = Pattern.compile("<form\\b[^>]*\\bmethod=\"get\"[^>]*>", Pattern.CASE_INSENSITIVE);
    /** Files and machine endpoints: no language to keep. */
    private static final String[] SKIPPED = {"/css/", "/js/", "/favicon", "/q/", "/api/"};

    private LangLinks() {
    }

    /** The page with {@code lang} kept in its links, or the page itself when {@code lang} is null. */
    static String keep(String html, String lang) {
        if (lang == null) {
            return html;
        }
        Matcher m = LINK.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        while (m.find()) {
            String path = m.group(2);
            String replacement = m.group();
            if (!skipped(path)) {
                String sep = path.indexOf('?') < 0 ? "?" : "&amp;";
                replacement = m.group(1) + "=\"" + path + sep + "lang=" + lang + (m.group(3) == null ? "" : m.group(3)) + "\"";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        String linked = out.toString();
        Matcher f = GET_FORM.matcher(linked);
        StringBuilder forms = new StringBuilder(linked.length() + 128);
        while (f.find()) {
            f.appendReplacement(forms, Matcher.quoteReplacement(f.group() + "<input type=\"hidden\" name=\"lang\" value=\"" + lang + "\">"));
        }
        f.appendTail(forms);
        return forms.toString();
    }

    private static boolean skipped(String path) {
        if (path.contains("?lang=") || path.contains("&amp;lang=")) {
            return true;
        }
        for (String s : SKIPPED) {
            if (path.startsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
