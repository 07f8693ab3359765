package org.downwatch.shared;

import java.util.Locale;

/**
 * The visitor's language, French or English: {@code ?lang=} wins, then {@code Accept-Language}; English
 * otherwise. Never a cookie: pages are shared by every visitor of a URL and language (a CDN keeps them).
 */
public final class Lang {

    public static final String FR = "fr";
    public static final String EN = "en";

    private Lang() {
    }

    public static String resolve(String queryLang, String acceptLanguage) {
        String q = supported(queryLang);
        return q != null ? q : fromAcceptLanguage(acceptLanguage);
    }

    /** Kept for callers of the time of the language cookie: {@code cookieLang} is ignored. */
    @Deprecated
    public static String resolve(String queryLang, String cookieLang, String acceptLanguage) {
        return resolve(queryLang, acceptLanguage);
    }

    /** "fr" or "en" when {@code value} names one of them, else null. */
    public static String supported(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals(FR) || v.equals(EN) ? v : null;
    }

    /** The best of French and English by quality in an Accept-Language header. */
    static String fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return EN;
        }
        double fr = -1, en = -1;
        for (String part : header.split(",")) {
            String[] pieces = part.trim().split(";");
            String tag = pieces[0].trim().toLowerCase(Locale.ROOT);
            double quality = 1;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (tag.equals("fr") || tag.startsWith("fr-")) {
                fr = Math.max(fr, quality);
            } else if (tag.equals("en") || tag.startsWith("en-")) {
                en = Math.max(en, quality);
            }
        }
        return fr > 0 && fr > en ? FR : EN;
    }
}
