package org.downwatch.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of "it works for me" (issue 24) and "many services at once" (issue 26), in English here and in
 * French in {@code messages/works_fr.properties}; templates use {@code {works:key(args)}}.
 */
@MessageBundle(value = "works", locale = "en")
public interface WorksMessages {

    @Message("In the last hour: {#if reports == 1}1 report of a problem{#else}{reports} reports of a problem{/if}, "
            + "{#if works == 1}1 person says it works{#else}{works} people say it works{/if}.")
    String sides(int reports, int works);

    @Message("Does {name} work for you?")
    String question(String name);

    @Message("It works for me")
    String button();

    @Message("Say it works for you: it is shown beside the reports, and never changes the status.")
    String note();

    @Message("Thank you: we counted that {name} works for you.")
    String counted(String name);

    @Message("You already said that {name} works for you; we counted it once.")
    String duplicate(String name);

    @Message("Many people on your network already said so; we did not count it again.")
    String network_limit();

    // -- many services at once
    @Message("Many services at once")
    String group_heading();

    @Message("{n} services since {when}")
    String group_since(int n, String when);

    @Message("{n} services at once, from {when}")
    String group_at(int n, String when);

    @Message("Likely common cause: {provider}")
    String group_cause(String provider);

    @Message("Also reported, probably as a side effect:")
    String group_collateral();

    @Message("internet or mobile provider")
    String group_collateral_kind();

    @Message("ended")
    String group_ended();

    @Message("Also having problems right now, since the same minutes ({when}):")
    String together(String when);

    @Message("probably a side effect")
    String together_collateral();
}
