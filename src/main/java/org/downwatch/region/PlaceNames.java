package org.downwatch.region;

import java.util.Locale;

/** How a place of a {@link Breakdown} is named, in French or English: "France", "Rhône (69)", "Bruxelles, Belgium". */
public final class PlaceNames {

    private PlaceNames() {
    }

    public static String country(String code, Locale locale) {
        String name = new Locale("", code).getDisplayCountry(locale);
        return name == null || name.isBlank() || name.equals(code) ? code : name;
    }

    public static String of(Breakdown.Place p, Breakdown.Level level, Locale locale) {
        if (level == Breakdown.Level.COUNTRY) {
            return country(p.country(), locale);
        }
        if (p.city() == null) {
            String dep = FrenchPlaces.get().departementName(p.region());
            return (dep == null ? p.region() : dep) + " (" + p.region() + ")";
        }
        if ("FR".equals(p.country())) {
            return p.region() == null ? p.city() : p.city() + " (" + p.region() + ")";
        }
        return p.city() + ", " + country(p.country(), locale);
    }
}
