package org.downwatch.notice;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of official notices and maintenance windows on the pages, in the API's labels and in the feeds
 * (English here, French in {@code messages/official_fr.properties}); templates use {@code {official:key}}.
 */
@MessageBundle(value = "official", locale = "en")
public interface OfficialMessages {

    @Message("Investigating")
    String kind_investigating();

    @Message("Identified")
    String kind_identified();

    @Message("Monitoring")
    String kind_monitoring();

    @Message("Resolved")
    String kind_resolved();

    @Message("Planned maintenance")
    String kind_maintenance();

    @Message("What {name} says")
    String heading(String name);

    @Message("Official")
    String badge();

    @Message("Official notices are posted by {name} with a key Downwatch verified. They sit beside people's reports and change none of the counts above.")
    String explain(String name);

    @Message("Posted {when}")
    String posted(String when);

    @Message("from {start} to {end}")
    String window(String start, String end);

    @Message("Planned maintenance in progress until {end}, announced by {name}. Reports are still counted and shown as they come.")
    String maintenance_now(String name, String end);

    @Message("Planned maintenance announced by {name}: {start} to {end}.")
    String maintenance_next(String name, String start, String end);

    @Message("{name} first spoke {delay} after people started reporting.")
    String delay_spoke(String name, String delay);

    @Message("No word from {name} yet, {delay} after people started reporting.")
    String delay_silent(String name, String delay);

    @Message("During planned maintenance")
    String incident_maintenance();

    @Message("Official word after {delay}")
    String incident_delay(String delay);

    @Message("More notices in the API")
    String more();

    // -- the Atom feed
    @Message("Official notice from {name}: {kind}")
    String feed_title(String name, String kind);

    @Message("(during planned maintenance)")
    String feed_maintenance();

    @Message("Notices from the company")
    String feed_subtitle_notices();
}
