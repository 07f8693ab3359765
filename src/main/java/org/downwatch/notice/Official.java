package org.downwatch.notice;

import io.quarkus.qute.TemplateData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.downwatch.detect.Incident;

/**
 * What a service page shows of the company's word, as of the page's minute: recent notices, the maintenance
 * window in progress or coming, and per incident its notes. Everything is read when the page's version is
 * rendered, never per request.
 *
 * @param openDelay  for the open incident: how long after its start the company first spoke, or, while it has
 *                   not, how long it has been silent ({@code openSpoke} says which)
 */
@TemplateData
public record Official(List<Notice> notices, boolean more, Notice maintenanceNow, Notice maintenanceNext,
        Map<Long, IncidentNotes> notes, Duration openDelay, boolean openSpoke) {

    public static final Official NONE = new Official(List.of(), false, null, null, Map.of(), null, false);

    /** Whether the section has anything to say (else the page shows nothing of it). */
    public boolean shown() {
        return !notices.isEmpty() || maintenanceNow != null || maintenanceNext != null || openDelay != null;
    }

    public IncidentNotes of(Incident i) {
        return notes.getOrDefault(i.id, IncidentNotes.NONE);
    }

    public String openDelayText(String lang) {
        return openDelay == null ? null : duration(openDelay, lang);
    }

    /** "23 min", "1 h 05 min", "2 d 3 h" ("2 j 3 h" in French). */
    public static String duration(Duration d, String lang) {
        long minutes = Math.max(0, d.toMinutes());
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return String.format("%d h %02d min", minutes / 60, minutes % 60);
        }
        return minutes / 1440 + ("fr".equals(lang) ? " j " : " d ") + (minutes % 1440) / 60 + " h";
    }
}
