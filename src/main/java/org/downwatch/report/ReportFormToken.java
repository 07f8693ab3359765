package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Anti-forgery token for the report form on service pages: the page puts {@link #issue()} in a hidden
 * field named {@code _csrf}; the form handler checks it. (Stub: the reporting feature fills it in.)
 */
@ApplicationScoped
public class ReportFormToken {

    public static final String FIELD = "_csrf";

    /** A fresh token to embed in the form. */
    public String issue() {
        return "";
    }
}
