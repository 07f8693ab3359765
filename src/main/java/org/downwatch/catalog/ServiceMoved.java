package org.downwatch.catalog;

import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;

/**
 * The slug asked for is one a renamed or merged service answered at: {@link ServiceMovedMapper} redirects
 * to the same path at the new slug (301, or 308 for a method other than GET and HEAD).
 */
public class ServiceMoved extends ProblemException {

    private final String oldSlug;
    private final String newSlug;

    public ServiceMoved(String oldSlug, String newSlug) {
        super(new Problem(null, "Moved permanently", 301, "The service " + oldSlug + " is now " + newSlug, null, null));
        this.oldSlug = oldSlug;
        this.newSlug = newSlug;
    }

    public String oldSlug() {
        return oldSlug;
    }

    public String newSlug() {
        return newSlug;
    }

    /** {@code path} with its {@code /services/{old}} segment at the new slug. */
    public String relocate(String path) {
        String from = "/services/" + oldSlug;
        int at = path.indexOf(from);
        while (at >= 0) {
            int end = at + from.length();
            if (end == path.length() || path.charAt(end) == '/') {
                return path.substring(0, at) + "/services/" + newSlug + path.substring(end);
            }
            at = path.indexOf(from, end);
        }
        return "/services/" + newSlug;
    }
}
