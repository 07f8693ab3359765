package org.downwatch.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Each problem type's share of a set of reports, computed here only: the API gives the fractions and
 * the pages show percentages of the same fractions.
 */
public final class ProblemShares {

    /** A problem type's count and share of the reports (a fraction in [0, 1], four decimals). */
    public record Share(ProblemType type, int count, double share) {
    }

    private ProblemShares() {
    }

    /** {@code count / total} rounded to four decimals; 0 when there is nothing to share. */
    public static double share(long count, long total) {
        return total <= 0 ? 0 : Math.round(count * 10000.0 / total) / 10000.0;
    }

    /**
     * Count and share per problem type: the {@code offered} types (zero when unreported) when
     * {@code includeUnreported}, then every other type found in the counts; most reported first, ties in
     * the order they came (the service's own order for offered types).
     *
     * @param byId the catalog's problem types, for counted types the service no longer offers
     */
    static List<Share> of(List<ProblemType> offered, Map<Integer, Integer> counts, boolean includeUnreported,
            IntFunction<Optional<ProblemType>> byId) {
        Map<Integer, ProblemType> types = new LinkedHashMap<>();
        if (includeUnreported) {
            offered.forEach(p -> types.put(p.id, p));
        }
        counts.keySet().forEach(id -> {
            if (!types.containsKey(id)) {
                byId.apply(id).ifPresent(p -> types.put(id, p));
            }
        });
        long total = counts.values().stream().mapToLong(Integer::longValue).sum();
        List<Share> out = new ArrayList<>();
        for (ProblemType p : types.values()) {
            int count = counts.getOrDefault(p.id, 0);
            out.add(new Share(p, count, share(count, total)));
        }
        out.sort(Comparator.comparingInt(Share::count).reversed()); // stable: ties keep their order
        return out;
    }
}
