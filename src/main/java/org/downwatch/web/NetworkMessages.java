package org.downwatch.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the distinct-network evidence on the service page ({@code tags/networks.html}), in English
 * here and in French in {@code messages/nets_fr.properties}; templates use {@code {nets:key(args)}}.
 */
@MessageBundle(value = "nets", locale = "en")
public interface NetworkMessages {

    @Message("{#if count >= 1000}From more than 1,000 networks{#else if count < 2}From a single network{#else}From {count} networks{/if} in the last hour.")
    String from(int count);

    @Message("A problem needs reports from at least {min} networks: one office, one provider block or one script cannot raise one.")
    String too_few(int min);
}
