package org.downwatch.catalog;

import java.text.Normalizer;
import java.util.Locale;

/** Folds text for search the way the database's service.search_key does: lower case, no accents. */
public final class SearchKey {

    private SearchKey() {
    }

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }
}
