package org.downwatch.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the "where" part of a service page (issue 24), English here and French in
 * {@code messages/where_fr.properties}; templates use {@code {where:key}}.
 */
@MessageBundle(value = "where", locale = "en")
public interface WhereMessages {

    @Message("Where people report it")
    String heading();

    @Message("Since the incident started at {since}: {#if total == 1}1 report{#else}{total} reports{/if}, {located} of them say in which country.")
    String scope_incident(String since, int total, int located);

    @Message("Over the last 24 hours: {#if total == 1}1 report{#else}{total} reports{/if}, {located} of them say in which country.")
    String scope_day(int total, int located);

    @Message("By country")
    String countries();

    @Message("In France, by département")
    String regions_france();

    @Message("By city")
    String regions_cities();

    @Message("{located} of the {of} reports from France give a postcode or a known city.")
    String regions_france_basis(int located, int of);

    @Message("{#if n == 1}1 other country{#else}{n} other countries{/if}")
    String other_countries(int n);

    @Message("{#if n == 1}1 other département{#else}{n} other départements{/if}")
    String other_departements(int n);

    @Message("{#if n == 1}1 other place{#else}{n} other places{/if}")
    String other_places(int n);

    @Message("Overseas départements are in the list; the map shows metropolitan France.")
    String overseas();

    @Message("Map of France: where the reports come from, by département")
    String map_title_france();

    @Message("World map: where the reports come from, by country")
    String map_title_world();

    @Message("Most reports: {places}.")
    String map_desc(String places);

    @Message("Fewer")
    String legend_fewer();

    @Message("more reports")
    String legend_more();

    @Message("fewer than {min} reports, or none")
    String legend_none(int min);

    @Message("Where the reports come from")
    String table_caption();

    @Message("Place")
    String col_place();

    @Message("Share")
    String col_share();

    @Message("A place with fewer than {min} reports is never shown on its own: it is counted with the other places. Nothing more precise than a city is shown.")
    String privacy(int min);
}
