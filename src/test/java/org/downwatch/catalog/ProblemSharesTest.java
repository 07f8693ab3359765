package org.downwatch.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProblemSharesTest {

    private static ProblemType type(int id, String slug) {
        ProblemType p = new ProblemType();
        p.id = id;
        p.slug = slug;
        return p;
    }

    private static final ProblemType LOGIN = type(1, "login");
    private static final ProblemType PAYMENTS = type(2, "payments");
    private static final ProblemType WEBSITE = type(3, "website");
    private static final ProblemType RETIRED = type(9, "retired");

    private static List<String> slugs(List<ProblemShares.Share> shares) {
        return shares.stream().map(s -> s.type().slug).toList();
    }

    @Test
    void sharesAreFractionsToFourDecimalsMostReportedFirst() {
        List<ProblemShares.Share> shares = ProblemShares.of(List.of(LOGIN, PAYMENTS, WEBSITE), Map.of(1, 1, 2, 2), true,
                id -> Optional.empty());
        assertEquals(List.of("payments", "login", "website"), slugs(shares));
        assertEquals(List.of(0.6667, 0.3333, 0.0), shares.stream().map(ProblemShares.Share::share).toList());
    }

    @Test
    void tiesKeepTheServicesOrderAndCountedTypesItNoLongerOffersComeLast() {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        counts.put(9, 5);
        counts.put(3, 5);
        counts.put(1, 5);
        List<ProblemShares.Share> shares = ProblemShares.of(List.of(LOGIN, PAYMENTS, WEBSITE), counts, true,
                id -> id == 9 ? Optional.of(RETIRED) : Optional.empty());
        assertEquals(List.of("login", "website", "retired", "payments"), slugs(shares));
    }

    @Test
    void withoutUnreportedOnlyTheCountedTypesAreListed() {
        List<ProblemShares.Share> shares = ProblemShares.of(List.of(LOGIN, PAYMENTS, WEBSITE), Map.of(3, 4), false,
                id -> id == 3 ? Optional.of(WEBSITE) : Optional.empty());
        assertEquals(List.of("website"), slugs(shares));
        assertEquals(1.0, shares.get(0).share());
    }

    @Test
    void nothingReportedSharesNothing() {
        assertEquals(0.0, ProblemShares.share(0, 0));
        assertEquals(List.of(0.0, 0.0), ProblemShares.of(List.of(LOGIN, PAYMENTS), Map.of(), true, id -> Optional.empty())
                .stream().map(ProblemShares.Share::share).toList());
    }
}
