package org.downwatch.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of the two maps a service page can draw, projected and rounded by tools/map-data: the
 * départements of metropolitan France and the countries of the world. Loaded once.
 *
 * @param viewBox the SVG viewBox the paths are drawn in
 * @param shapes  each with its code (département code, or ISO 3166-1 alpha-2; null for a territory without one)
 */
public record RegionMap(String viewBox, List<Shape> shapes, String source) {

    public record Shape(String code, String path) {
    }

    private static final RegionMap FRANCE = load("map/france.json", "departements");
    private static final RegionMap WORLD = load("map/world.json", "countries");

    public static RegionMap france() {
        return FRANCE;
    }

    public static RegionMap world() {
        return WORLD;
    }

    private static RegionMap load(String resource, String member) {
        try {
            JsonNode root = FrenchPlaces.read(new ObjectMapper(), resource);
            List<Shape> shapes = new ArrayList<>();
            for (JsonNode s : root.get(member)) {
                shapes.add(new Shape(s.get("code").isNull() ? null : s.get("code").asText(), s.get("path").asText()));
            }
            return new RegionMap(root.get("viewBox").asText(), List.copyOf(shapes), root.get("source").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
