package org.downwatch.region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a service's reports come from, at one level (countries, regions or cities), with the privacy
 * rule applied: a place with fewer than {@link #MIN_REPORTS} reports is never shown on its own but
 * counted with the "other places". Nothing finer than a city is ever shown (postcodes only place a
 * French report in its département). Shares are fractions of the reports that say where at this level.
 *
 * @param total    every report of the range
 * @param located  the reports with a place at this level (the shares' denominator)
 * @param places   the places shown, the most reported first
 * @param other    the places with fewer than {@link #MIN_REPORTS} reports (or beyond a page's top), together
 */
public record Breakdown(Level level, int total, int located, List<Place> places, Other other) {

    /** Fewer reports than this from one place, and the place is not shown on its own. */
    public static final int MIN_REPORTS = 5;

    public enum Level {
        COUNTRY, REGION, CITY;

        public String slug() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The grouped counts as the database gives them: country, first 3 digits of a French postcode, city as typed. */
    public record Row(String country, String postcodePrefix, String city, int count) {
    }

    /**
     * A place shown: a country; or a region (in France a département, {@code region}; elsewhere the
     * city, which stands for its region); or a city (with its French département when known).
     */
    public record Place(String country, String region, String city, int count, double share) {
    }

    /** Places with fewer than {@link #MIN_REPORTS} reports each, or beyond the ones shown: how many, and their reports. */
    public record Other(int count, int places, double share) {
    }

    public int unlocated() {
        return total - located;
    }

    /** The {@code n} most reported places; the others join {@link #other}. */
    public Breakdown top(int n) {
        if (places.size() <= n) {
            return this;
        }
        List<Place> rest = places.subList(n, places.size());
        int count = other.count + rest.stream().mapToInt(Place::count).sum();
        return new Breakdown(level, total, located, List.copyOf(places.subList(0, n)),
                new Other(count, other.places + rest.size(), share(count, located)));
    }

    /** The rows of one country only (for the regions of France, with shares among French reports). */
    public static List<Row> in(String country, List<Row> rows) {
        return rows.stream().filter(r -> country.equals(r.country())).toList();
    }

    static double share(int count, int of) {
        return of <= 0 ? 0 : (double) count / of;
    }

    /** The breakdown of grouped rows at a level. */
    public static Breakdown of(List<Row> rows, Level level, FrenchPlaces fr) {
        record Key(String country, String region, String city) {
        }
        Map<Key, Integer> counts = new LinkedHashMap<>();
        Map<Key, Map<String, Integer>> spellings = new HashMap<>();
        Map<Key, Map<String, Integer>> regions = new HashMap<>();
        int total = 0;
        for (Row r : rows) {
            total += r.count();
            if (r.country() == null) {
                continue;
            }
            boolean france = "FR".equals(r.country());
            FrenchPlaces.City known = france ? fr.city(r.city()) : null;
            String dep = france ? fr.departementOfPostcode(r.postcodePrefix()) : null;
            if (france && dep == null && known != null) {
                dep = known.departement();
            }
            String cityKey = r.city() == null ? null : FrenchPlaces.key(r.city());
            if (cityKey != null && cityKey.isEmpty()) {
                cityKey = null;
            }
            Key key = switch (level) {
                case COUNTRY -> new Key(r.country(), null, null);
                case REGION -> france ? (dep == null ? null : new Key("FR", dep, null))
                        : (cityKey == null ? null : new Key(r.country(), null, cityKey));
                case CITY -> cityKey == null ? null : new Key(r.country(), null, cityKey);
            };
            if (key == null) {
                continue;
            }
            counts.merge(key, r.count(), Integer::sum);
            if (key.city() != null) {
                String spelling = known != null ? known.name() : r.city().strip();
                spellings.computeIfAbsent(key, k -> new HashMap<>()).merge(spelling, r.count(), Integer::sum);
                if (france && dep != null) {
                    regions.computeIfAbsent(key, k -> new HashMap<>()).merge(dep, r.count(), Integer::sum);
                }
            }
        }
        int located = counts.values().stream().mapToInt(Integer::intValue).sum();
        List<Place> places = new ArrayList<>();
        int otherCount = 0;
        int otherPlaces = 0;
        for (Map.Entry<Key, Integer> e : counts.entrySet()) {
            int n = e.getValue();
            if (n < MIN_REPORTS) {
                otherCount += n;
                otherPlaces++;
                continue;
            }
            Key k = e.getKey();
            String city = k.city() == null ? null : mostCommon(spellings.get(k));
            String region = k.region() != null ? k.region() : regions.containsKey(k) ? mostCommon(regions.get(k)) : null;
            places.add(new Place(k.country(), region, city, n, share(n, located)));
        }
        places.sort(Comparator.comparingInt(Place::count).reversed()
                .thenComparing(Place::country)
                .thenComparing(p -> Objects.requireNonNullElse(p.region(), ""))
                .thenComparing(p -> Objects.requireNonNullElse(p.city(), "")));
        return new Breakdown(level, total, located, List.copyOf(places),
                new Other(otherCount, otherPlaces, share(otherCount, located)));
    }

    /** The value with the most reports; ties go to the first in alphabetical order, so that every render agrees. */
    private static String mostCommon(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getValue())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(null);
    }
}
