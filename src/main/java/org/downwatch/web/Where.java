package org.downwatch.web;

import io.quarkus.qute.TemplateData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.downwatch.region.Breakdown;
import org.downwatch.region.FrenchPlaces;
import org.downwatch.region.PlaceNames;
import org.downwatch.region.RegionMap;

/**
 * The "where" part of a service page: the countries the reports come from, then the regions (the
 * départements when most reports are French, else the cities), as a map, a list and a table that say
 * the same numbers. Built when the page version is rendered, from one grouped query.
 *
 * @param from       the start of the period: the open incident's, else 24 hours ago
 * @param incident   true when the period is the open incident
 * @param total      every report of the period
 * @param located    the reports that said in which country
 * @param france     true when the regions are the départements of France (most reports are French)
 * @param regionsOf  the reports of the regions' denominator (French reports for départements, else located)
 * @param overseas   an overseas département is listed (the map draws metropolitan France only)
 */
@TemplateData
public record Where(Instant from, boolean incident, int total, int located, List<Line> countries, Line otherCountries,
        boolean france, int regionsOf, int regionsLocated, List<Line> regions, Line otherRegions, MapView map,
        boolean overseas) {

    /** Places shown in the list and the table; the rest are counted with the other places. */
    static final int TOP = 10;
    /** Countries shown: a French service's reports are nearly all French, a long tail of 1% lines says nothing. */
    static final int TOP_COUNTRIES = 3;
    static final int MIN_REPORTS = Breakdown.MIN_REPORTS;

    /** One line of the list and of the table. */
    @TemplateData
    public record Line(String name, int count, double share, int places) {
    }

    /** The map: drawn shapes with their fill, and a legend of the steps. */
    @TemplateData
    public record MapView(String kind, String viewBox, List<Shape> shapes, List<Step> legend, String desc) {
    }

    @TemplateData
    public record Shape(String d, String fill, String title) {
    }

    /** A legend step, light (fewer reports) to dark (more). */
    @TemplateData
    public record Step(String fill, int x) {
    }

    /** Light to dark: the page's problem red at its darkest, readable on white and for the usual colour blindness. */
    static final String[] STEPS = { "#fcdcc9", "#f7ad8a", "#ec7a55", "#d2462c", "#a11d1d" };
    static final String NONE = "#e6e9ee";

    public int minReports() {
        return MIN_REPORTS;
    }

    public boolean hasRegions() {
        return !regions.isEmpty();
    }

    /** More than one country to name (else the list says only the regions). */
    public boolean manyCountries() {
        return countries.size() > 1 || otherCountries != null;
    }

    /** The most reported country's name, if any is shown. */
    public String topCountry() {
        return countries.isEmpty() ? null : countries.get(0).name();
    }

    /** Null when fewer than {@link Breakdown#MIN_REPORTS} reports said where: nothing to show. */
    static Where of(List<Breakdown.Row> rows, Instant from, boolean incident, Visitor v) {
        Breakdown countries = Breakdown.of(rows, Breakdown.Level.COUNTRY, FrenchPlaces.get());
        if (countries.places().isEmpty()) {
            return null;
        }
        boolean france = "FR".equals(countries.places().get(0).country());
        Breakdown regions = france
                ? Breakdown.of(Breakdown.in("FR", rows), Breakdown.Level.REGION, FrenchPlaces.get())
                : Breakdown.of(rows, Breakdown.Level.REGION, FrenchPlaces.get());
        Breakdown shownCountries = countries.top(TOP_COUNTRIES);
        Breakdown shownRegions = regions.top(TOP);
        MapView map = france ? franceMap(regions, v) : worldMap(countries, v);
        return new Where(from, incident, countries.total(), countries.located(),
                lines(shownCountries, v), other(shownCountries),
                france, regions.total(), regions.located(), lines(shownRegions, v), other(shownRegions), map,
                france && shownRegions.places().stream().anyMatch(p -> p.region() != null && p.region().startsWith("97")));
    }

    private static List<Line> lines(Breakdown b, Visitor v) {
        return b.places().stream().map(p -> new Line(PlaceNames.of(p, b.level(), v.locale()), p.count(), p.share(), 1))
                .toList();
    }

    private static Line other(Breakdown b) {
        return b.other().count() == 0 ? null : new Line(null, b.other().count(), b.other().share(), b.other().places());
    }

    private static MapView franceMap(Breakdown regions, Visitor v) {
        Map<String, Breakdown.Place> byCode = new HashMap<>();
        regions.places().forEach(p -> byCode.put(p.region(), p));
        return map("france", RegionMap.france(), byCode, regions, v);
    }

    private static MapView worldMap(Breakdown countries, Visitor v) {
        Map<String, Breakdown.Place> byCode = new HashMap<>();
        countries.places().forEach(p -> byCode.put(p.country(), p));
        return map("world", RegionMap.world(), byCode, countries, v);
    }

    /** Each shape with the step of its share of the largest one; places not shown (too few reports) stay grey. */
    private static MapView map(String kind, RegionMap shapes, Map<String, Breakdown.Place> byCode, Breakdown b, Visitor v) {
        double max = b.places().stream().mapToDouble(Breakdown.Place::share).max().orElse(0);
        List<Shape> out = new ArrayList<>(shapes.shapes().size());
        for (RegionMap.Shape s : shapes.shapes()) {
            Breakdown.Place p = s.code() == null ? null : byCode.get(s.code());
            if (p == null || max <= 0) {
                out.add(new Shape(s.path(), NONE, null));
            } else {
                int step = Math.min(STEPS.length - 1, (int) Math.ceil(p.share() / max * STEPS.length) - 1);
                out.add(new Shape(s.path(), STEPS[Math.max(0, step)], PlaceNames.of(p, b.level(), v.locale()) + " — "
                        + TemplateExtensions.percent(p.share(), v)));
            }
        }
        // shaded shapes last, so that their borders are drawn over the grey ones
        out.sort((x, y) -> Boolean.compare(x.title() != null, y.title() != null));
        List<Step> legend = new ArrayList<>();
        for (int i = 0; i < STEPS.length; i++) {
            legend.add(new Step(STEPS[i], i * 18));
        }
        String desc = String.join(", ", b.places().stream().limit(3)
                .map(p -> PlaceNames.of(p, b.level(), v.locale()) + " " + TemplateExtensions.percent(p.share(), v)).toList());
        return new MapView(kind, shapes.viewBox(), List.copyOf(out), List.copyOf(legend), desc);
    }
}
