package org.downwatch.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every text of the pages, in English here and in French in {@code messages/msg_fr.properties}.
 * Templates use them as {@code {msg:key(args)}}; the page's locale picks the language.
 */
@MessageBundle(value = "msg", locale = "en")
public interface Messages {

    // -- layout
    @Message("Downwatch")
    String site_name();

    @Message("Is it down for everyone, or just you?")
    String site_tagline();

    @Message("Skip to content")
    String skip();

    @Message("Open-source, crowd-sourced outage reports.")
    String footer_about();

    @Message("Times are shown in {zone}.")
    String footer_zone(String zone);

    @Message("Search for a service")
    String search_label();

    @Message("La Poste, Orange, Netflix…")
    String search_placeholder();

    @Message("Search")
    String search_button();

    @Message("{#if n == 1}1 report{#else}{n} reports{/if}")
    String reports(int n);

    @Message("Problems")
    String level_problem();

    @Message("Possible problems")
    String level_possible();

    @Message("No problems")
    String level_none();

    // -- home
    @Message("Downwatch counts people's reports of problems with the services they use, and compares them with what is usual for the time of day.")
    String home_intro();

    @Message("Problems right now")
    String home_problems();

    @Message("Other categories")
    String other_categories();

    @Message("No service has an unusual number of reports right now.")
    String home_no_problems();

    @Message("Recent incidents")
    String home_incidents();

    @Message("No incidents recorded yet.")
    String home_no_incidents();

    @Message("Incidents with {n} reports or more. Every incident is on its service's page.")
    String home_incidents_note(int n);

    @Message("Categories")
    String home_categories();

    @Message("All services")
    String home_all_services();

    @Message("{observed} in the last {window} min, about {usual} usual at this time")
    String home_evidence(int observed, int window, long usual);

    @Message("Reports over the last 24 hours")
    String sparkline_label();

    // -- incidents
    @Message("Ongoing")
    String incident_ongoing();

    @Message("{start} – {end}")
    String incident_span(String start, String end);

    @Message("since {start}")
    String incident_since(String start);

    @Message("{n} reports/min")
    String peak_per_minute(int n);

    @Message("Started")
    String col_start();

    @Message("Ended")
    String col_end();

    @Message("Peak")
    String col_peak();

    @Message("Reports")
    String col_reports();

    @Message("Problems reported")
    String col_problems();

    @Message("Service")
    String col_service();

    // -- service page
    @Message("Is {name} down? Current problems and outages")
    String service_title(String name);

    @Message("{name} was added recently: there is little history yet, so its usual volume is still being learned.")
    String service_recent(String name);

    @Message("User reports indicate problems at {name} since {since}")
    String status_problem_since(String name, String since);

    @Message("User reports indicate problems at {name}")
    String status_problem(String name);

    @Message("User reports indicate possible problems at {name}")
    String status_possible(String name);

    @Message("User reports indicate no current problems at {name}")
    String status_none(String name);

    @Message("{#if observed == 1}1 report{#else}{observed} reports{/if} in the last {window} minutes, where about {usual} are usual at this time")
    String status_evidence(int observed, int window, long usual);

    @Message("{#if observed == 1}1 report{#else}{observed} reports{/if} in the last {window} minutes, where none are usual at this time")
    String status_evidence_usually_none(int observed, int window);

    @Message("Updated at {time}")
    String status_updated(String time);

    @Message("Official website")
    String website();

    @Message("Reports over the last 24 hours")
    String chart_day();

    @Message("Reports over the last 7 days")
    String chart_week();

    @Message("24 hours")
    String range_day();

    @Message("7 days")
    String range_week();

    @Message("Reports per {minutes} minutes")
    String legend_reports(long minutes);

    @Message("Reports per hour")
    String legend_reports_hour();

    @Message("Usual volume")
    String legend_baseline();

    @Message("Unusual above this line")
    String legend_upper();

    @Message("Incident")
    String legend_incident();

    @Message("Unusual reports")
    String legend_high();

    @Message("Report chart for {name}")
    String chart_title(String name);

    @Message("{total} reports in this period. Busiest {#if hour}hour{#else}{minutes} minutes{/if}: {peak} reports, at {peakAt}.")
    String chart_summary(int total, boolean hour, long minutes, int peak, String peakAt);

    @Message("Usual volume over the period, on average: about {usual} per {#if hour}hour{#else}{minutes} minutes{/if}.")
    String chart_usual(boolean hour, long minutes, long usual);

    @Message("The line above which reports are unusual is off the top of the chart in places (up to {upper} per {#if hour}hour{#else}{minutes} minutes{/if}).")
    String chart_upper_off_top(boolean hour, long minutes, long upper);

    @Message("No reports in this period.")
    String chart_empty();

    @Message("Show the numbers")
    String chart_table();

    @Message("Hour")
    String col_hour();

    @Message("Day")
    String col_day();

    @Message("Usually")
    String col_usual();

    @Message("Most reported problems")
    String problems_heading();

    @Message("Since the incident started at {since}")
    String problems_scope_incident(String since);

    @Message("Over the last 24 hours")
    String problems_scope_day();

    @Message("No reports in the last 24 hours.")
    String problems_none();

    @Message("Not reported:")
    String problems_unreported();

    @Message("I have a problem with {name}")
    String report_heading(String name);

    @Message("What is wrong?")
    String report_what();

    @Message("Where are you? (optional)")
    String report_where();

    @Message("Country")
    String report_country();

    @Message("e.g. FR, BE")
    String report_country_hint();

    @Message("City")
    String report_city();

    @Message("Postcode")
    String report_postcode();

    @Message("Send my report")
    String report_submit();

    @Message("Reports are anonymous: your IP address is never stored.")
    String report_privacy();

    @Message("Thank you: your report was counted.")
    String report_counted();

    @Message("Thank you: you already reported a problem with {name} recently, we counted it once.")
    String report_already(String name);

    @Message("Thank you. Many reports about {name} came from your network recently, so this one was not counted: those already counted show the problem.")
    String report_network_limit(String name);

    @Message("{#if n == 1}1 report{#else}{n} reports{/if} about {name} in the last hour.")
    String report_recent(int n, String name);

    @Message("Please pick what is wrong.")
    String report_error_problem();

    @Message("The country should be two letters, such as FR.")
    String report_error_country();

    @Message("The city name is too long (100 characters at most).")
    String report_error_city();

    @Message("The postcode is too long (16 characters at most).")
    String report_error_postcode();

    @Message("Your report could not be sent. Please try again.")
    String report_error_other();

    @Message("Recent incidents")
    String incidents_heading();

    @Message("No incidents recorded for {name}.")
    String incidents_none(String name);

    // -- categories and search
    @Message("{name}: services")
    String category_title(String name);

    @Message("Search")
    String search_title();

    @Message("{#if n == 1}1 service matches{#else}{n} services match{/if} “{q}”")
    String search_results(int n, String q);

    @Message("No service matches “{q}”.")
    String search_none(String q);

    @Message("Try another spelling, or browse the categories below.")
    String search_hint();

    // -- errors
    @Message("Page not found")
    String error_404_title();

    @Message("We could not find this page. Perhaps the service goes by another name: try searching for it.")
    String error_404_text();

    @Message("This form could not be accepted")
    String error_403_title();

    @Message("For your safety we only accept this form from our own pages. Go back, reload the page and try again.")
    String error_403_text();

    @Message("Too many requests")
    String error_429_title();

    @Message("Please wait a moment before trying again.")
    String error_429_text();

    @Message("Invalid request")
    String error_400_title();

    @Message("Something in this request was not understood.")
    String error_400_text();

    @Message("Something went wrong")
    String error_title();

    @Message("It is our fault, not yours. Please try again in a moment.")
    String error_text();

    @Message("Back to the home page")
    String error_home();
}
