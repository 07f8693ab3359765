package org.downwatch.notice;

import io.quarkus.qute.TemplateData;
import java.time.Duration;
import java.time.Instant;

/**
 * What the company's notices say about one incident: whether it was found during a maintenance window the
 * company had declared beforehand, and how long after its start the company first said something.
 */
@TemplateData
public record IncidentNotes(boolean maintenance, Instant firstNoticeAt, Duration firstNoticeAfter) {

    public static final IncidentNotes NONE = new IncidentNotes(false, null, null);

    /** The delay as a page prints it, or null. */
    public String delay(String lang) {
        return firstNoticeAfter == null ? null : Official.duration(firstNoticeAfter, lang);
    }
}
