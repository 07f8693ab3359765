package org.downwatch.web;

import io.quarkus.qute.TemplateData;

/**
 * The two sides of a service's last hour (issue 24): reports of a problem and people who said it works for
 * them, read when the page version is rendered; {@code thanks} says how the visitor's "it works" went
 * ({@code counted}, {@code duplicate}, {@code network-limit}), on the per-request page that follows it.
 */
@TemplateData
public record WorksView(int reports, int works, String thanks) {

    WorksView withThanks(String t) {
        return new WorksView(reports, works, t);
    }
}
