package org.downwatch.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogTest {

    @Inject
    Catalog catalog;

    @Test
    void laPosteOffersTheProblemsReportedOn19October2023First() {
        Service laPoste = catalog.service("la-poste").orElseThrow();
        assertEquals("La Poste", laPoste.name);
        assertEquals("FR", laPoste.country);
        List<String> slugs = catalog.problemTypes(laPoste.id).stream().map(p -> p.slug).toList();
        assertEquals(List.of("parcel-tracking", "registered-letter", "stamp-printing"), slugs.subList(0, 3));
        assertTrue(slugs.containsAll(List.of("website", "login", "mobile-app")), slugs.toString());
        ProblemType tracking = catalog.problemType(laPoste.id, "parcel-tracking").orElseThrow();
        assertEquals("Suivi de colis", tracking.label("fr"));
        assertEquals("Lettre recommandée en ligne", catalog.problemType(laPoste.id, "registered-letter").orElseThrow().labelFr);
        assertEquals("Impression de timbres", catalog.problemType(laPoste.id, "stamp-printing").orElseThrow().labelFr);
    }

    @Test
    void catalogHasAtLeastFortyOtherServicesAcrossCategories() {
        assertTrue(catalog.services().size() >= 41, "services: " + catalog.services().size());
        Set<String> categories = catalog.services().stream().map(s -> s.category).collect(Collectors.toSet());
        assertTrue(categories.containsAll(Set.of("telecom", "bank", "transport", "social", "messaging", "cloud",
                "games", "streaming", "public")), categories.toString());
        for (Service s : catalog.services()) {
            assertTrue(catalog.problemTypes(s.id).size() >= 3, s.slug + " has the problem types of its category");
            assertTrue(catalog.category(s.category).isPresent());
        }
    }

    @Test
    void problemTypesOfAnotherServiceAreNotOffered() {
        Service netflix = catalog.service("netflix").orElseThrow();
        assertTrue(catalog.problemType(netflix.id, "stamp-printing").isEmpty());
        assertTrue(catalog.problemType(netflix.id, "playback").isPresent());
    }

    @Test
    void searchIgnoresCaseAndAccents() {
        assertEquals("la-poste", catalog.search("la poste").get(0).slug);
        assertEquals("la-poste", catalog.search("LA POSTE").get(0).slug);
        assertTrue(catalog.search("societe").stream().anyMatch(s -> s.slug.equals("societe-generale")));
        assertTrue(catalog.search("CRÉDIT agricole").stream().anyMatch(s -> s.slug.equals("credit-agricole")));
        assertTrue(catalog.search("no such service at all").isEmpty());
    }
}
