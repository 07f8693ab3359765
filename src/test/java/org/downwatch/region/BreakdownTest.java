package org.downwatch.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Locale;
import org.downwatch.region.Breakdown.Level;
import org.downwatch.region.Breakdown.Row;
import org.junit.jupiter.api.Test;

class BreakdownTest {

    final FrenchPlaces fr = FrenchPlaces.get();

    @Test
    void placesAFrenchPostcodeInItsDepartementCorsicaAndOverseasIncluded() {
        assertEquals("75", fr.departementOfPostcode("75011"));
        assertEquals("01", fr.departementOfPostcode("01400"));
        assertEquals("2A", fr.departementOfPostcode("20000"));
        assertEquals("2A", fr.departementOfPostcode("20167"));
        assertEquals("2B", fr.departementOfPostcode("20200"));
        assertEquals("2B", fr.departementOfPostcode("20600"));
        assertEquals("974", fr.departementOfPostcode("97400"));
        assertEquals("976", fr.departementOfPostcode("97600"));
        assertNull(fr.departementOfPostcode("98000"), "Monaco is not a département");
        assertNull(fr.departementOfPostcode("00100"));
        assertNull(fr.departementOfPostcode("2A0"));
        assertEquals("Corse-du-Sud", fr.departementName("2A"));
        assertEquals("La Réunion", fr.departementName("974"));
    }

    @Test
    void neverShowsAPlaceWithFewerThanFiveReportsOnItsOwn() {
        List<Row> rows = List.of(new Row("FR", null, null, 30), new Row("BE", null, null, 5), new Row("CH", null, null, 4),
                new Row("DE", null, null, 1), new Row(null, null, null, 10));
        Breakdown b = Breakdown.of(rows, Level.COUNTRY, fr);
        assertEquals(50, b.total());
        assertEquals(40, b.located());
        assertEquals(List.of("FR", "BE"), b.places().stream().map(Breakdown.Place::country).toList());
        assertEquals(0.75, b.places().get(0).share(), 1e-9);
        assertEquals(new Breakdown.Other(5, 2, 0.125), b.other());
    }

    @Test
    void regionsAreDepartementsInFranceAndCitiesElsewhere() {
        List<Row> rows = List.of(new Row("FR", "750", "Paris", 4), new Row("FR", "751", null, 3), // 75 by postcode
                new Row("FR", null, "lyon", 5), // 69 by the city's name
                new Row("FR", "130", "Marseille", 4), // 13: too few
                new Row("FR", null, "Trifouilly", 7), // no département known
                new Row("BE", "100", "Bruxelles", 3), new Row("BE", null, "bruxelles ", 3));
        Breakdown b = Breakdown.of(rows, Level.REGION, fr);
        assertEquals(29, b.total());
        assertEquals(22, b.located());
        assertEquals(List.of("75/null", "BE/Bruxelles", "69/null"),
                b.places().stream().map(p -> (p.country().equals("FR") ? p.region() : p.country()) + "/" + p.city()).toList());
        assertEquals(new Breakdown.Other(4, 1, 4.0 / 22), b.other());
        assertEquals("Rhône (69)", PlaceNames.of(b.places().get(2), Level.REGION, Locale.FRENCH));
        assertEquals("Bruxelles, Belgium", PlaceNames.of(b.places().get(1), Level.REGION, Locale.ENGLISH));
        assertEquals("Bruxelles, Belgique", PlaceNames.of(b.places().get(1), Level.REGION, Locale.FRENCH));
    }

    @Test
    void citiesMergeSpellingsAndNameTheFrenchOnesAsInseeDoes() {
        List<Row> rows = List.of(new Row("FR", "420", "saint etienne", 3), new Row("FR", null, "St-Étienne", 2),
                new Row("FR", "690", "LYON", 2), new Row("FR", "690", "Lyon", 4));
        Breakdown b = Breakdown.of(rows, Level.CITY, fr);
        assertEquals(List.of("Lyon/69", "Saint-Étienne/42"), b.places().stream().map(p -> p.city() + "/" + p.region()).toList());
    }

    @Test
    void aPageShowsTheTopPlacesAndCountsTheRestWithTheOthers() {
        List<Row> rows = List.of(new Row("FR", null, null, 20), new Row("BE", null, null, 10), new Row("CH", null, null, 6),
                new Row("DE", null, null, 2));
        Breakdown top = Breakdown.of(rows, Level.COUNTRY, fr).top(2);
        assertEquals(2, top.places().size());
        assertEquals(new Breakdown.Other(8, 2, 8.0 / 38), top.other());
    }
}
