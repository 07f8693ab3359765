package org.downwatch.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * French départements and cities from the committed map data (tools/map-data): the département of a
 * postcode, its name, its population, and the French cities of 30,000 inhabitants or more and the 3 largest
 * of each département (name, département, postcodes, population) for reports that give a city without a
 * postcode, and for the demo. Plain Java, loaded once.
 */
public final class FrenchPlaces {

    /** A French city: its name as INSEE writes it, its département, its postcodes, its population. */
    public record City(String name, String departement, List<String> postcodes, int population) {
    }

    private static final FrenchPlaces INSTANCE = load();

    private final Map<String, String> departements;
    private final List<City> cities;
    private final Map<String, City> byKey;
    private final Map<String, Long> population;

    private FrenchPlaces(Map<String, String> departements, List<City> cities, Map<String, Long> population) {
        this.departements = departements;
        this.population = population;
        this.cities = cities;
        Map<String, City> keys = new HashMap<>();
        for (City c : cities) {
            keys.putIfAbsent(key(c.name()), c); // the list is by population: "Saint-Denis" is the larger one
        }
        this.byKey = keys;
    }

    public static FrenchPlaces get() {
        return INSTANCE;
    }

    /** The name of a département ("75" → "Paris", "2A" → "Corse-du-Sud"), null when unknown. */
    public String departementName(String code) {
        return code == null ? null : departements.get(code);
    }

    /** Every département code with its name, in code order. */
    public Map<String, String> departements() {
        return departements;
    }

    /** The population of each département (INSEE), by code. */
    public Map<String, Long> populations() {
        return population;
    }

    /** French cities of 30,000 inhabitants or more and the 3 largest of each département, the most populous first. */
    public List<City> cities() {
        return cities;
    }

    /** The city of this name (ignoring case, accents, hyphens), null when not one of {@link #cities}. */
    public City city(String name) {
        return name == null ? null : byKey.get(key(name));
    }

    /**
     * The département of a French postcode from its first three digits: the first two, except Corsica
     * (200, 201 → 2A; 202, 206 → 2B) and overseas (971 to 976); null for anything else (98x, 00x, ...).
     */
    public String departementOfPostcode(String postcode) {
        if (postcode == null || postcode.length() < 3) {
            return null;
        }
        for (int i = 0; i < 3; i++) {
            if (!Character.isDigit(postcode.charAt(i)) || postcode.charAt(i) > '9') {
                return null;
            }
        }
        String two = postcode.substring(0, 2);
        String three = postcode.substring(0, 3);
        String code = switch (two) {
            case "20" -> switch (three) {
                case "200", "201" -> "2A";
                case "202", "206" -> "2B";
                default -> null;
            };
            case "97" -> three;
            default -> two;
        };
        return code != null && departements.containsKey(code) ? code : null;
    }

    /** How a place name is compared: lower case, no accents, hyphens and apostrophes as spaces, single spaces. */
    public static String key(String name) {
        String s = Normalizer.normalize(name.strip().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "").replaceAll("[-'’._,]+", " ").replaceAll("\\s+", " ").strip();
        return s.replaceFirst("^st ", "saint ").replaceFirst("^ste ", "sainte ");
    }

    private static FrenchPlaces load() {
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode france = read(json, "map/france.json");
            Map<String, String> deps = new LinkedHashMap<>();
            france.get("names").fields().forEachRemaining(e -> deps.put(e.getKey(), e.getValue().asText()));
            List<City> cities = new ArrayList<>();
            JsonNode list = read(json, "map/fr-cities.json");
            Map<String, Long> population = new LinkedHashMap<>();
            list.get("departements").fields().forEachRemaining(e -> population.put(e.getKey(), e.getValue().asLong()));
            for (JsonNode c : list.get("cities")) {
                List<String> postcodes = new ArrayList<>();
                c.get("postcodes").forEach(p -> postcodes.add(p.asText()));
                cities.add(new City(c.get("name").asText(), c.get("departement").asText(), List.copyOf(postcodes),
                        c.get("population").asInt()));
            }
            return new FrenchPlaces(Collections.unmodifiableMap(deps), List.copyOf(cities), Collections.unmodifiableMap(population));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(ObjectMapper json, String resource) throws IOException {
        try (InputStream in = FrenchPlaces.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource + " (built by tools/map-data/build.sh)");
            }
            return json.readTree(in);
        }
    }
}
