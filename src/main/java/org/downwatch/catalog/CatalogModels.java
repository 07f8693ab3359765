package org.downwatch.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** Bodies of the catalog's admin API and of its import and export files. */
public final class CatalogModels {

    private CatalogModels() {
    }

    /**
     * A service to create, import or change. On a change (PATCH) a member left out keeps its value, and an
     * empty {@code country} or {@code websiteUrl} clears it; {@code aliases} and {@code problemTypes} (its own
     * problem types, beyond its category's) replace the lists when given.
     */
    public record ServiceInput(String slug, String name, String category, String country, String websiteUrl,
            List<String> aliases, List<String> problemTypes, Boolean hidden) {
    }

    /** A category: names in English and French, display position, and the problem types its services offer. */
    public record CategoryInput(String slug, String nameEn, String nameFr, Integer position, List<String> problemTypes) {
    }

    /** A problem type ("indicator") with its labels in English and French. */
    public record ProblemTypeInput(String slug, String labelEn, String labelFr) {
    }

    /** Merge a service into the one at {@code into}. */
    public record MergeRequest(String into) {
    }

    /** A service as the admin API shows it, hidden ones included. */
    public record ServiceView(String slug, String name, String category, String country, String websiteUrl, boolean hidden,
            List<String> aliases, List<String> problemTypes, List<String> oldSlugs, String mergedInto, Instant createdAt) {
    }

    /** The whole catalog, as exported and imported (JSON). */
    public record CatalogFile(List<CategoryInput> categories, List<ProblemTypeInput> problemTypes, List<ServiceInput> services) {
    }

    /** What an import did, per kind of row. */
    public record Counts(int created, int updated, int unchanged) {
    }

    public record ImportResult(Counts categories, Counts problemTypes, Counts services, long version) {

        public boolean changed() {
            return categories.created + categories.updated + problemTypes.created + problemTypes.updated
                    + services.created + services.updated > 0;
        }
    }

    /** One change in the catalog's audit trail. */
    public record AuditEntry(long id, Instant at, String actor, String action, String subject, JsonNode details) {
    }
}
