package org.downwatch.api;

import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/** RFC 8288 {@code Link} headers for paginated lists. */
final class Links {

    private Links() {
    }

    /** {@code rel="next"} when there is a page after this one, {@code rel="prev"} when there is one before. */
    static List<String> pages(UriInfo uri, Params.PageRequest page, long total) {
        List<String> links = new ArrayList<>();
        if (page.offset() + page.size() < total) {
            links.add(link(uri, page.page() + 1, page.size(), "next"));
        }
        if (page.page() > 1) {
            long last = Math.max(1, (total + page.size() - 1) / page.size());
            links.add(link(uri, (int) Math.min(page.page() - 1, last), page.size(), "prev"));
        }
        return links;
    }

    private static String link(UriInfo uri, int page, int size, String rel) {
        String target = uri.getRequestUriBuilder().replaceQueryParam("page", page).replaceQueryParam("size", size)
                .build().toString();
        return "<" + target + ">; rel=\"" + rel + "\"";
    }
}
