package org.downwatch.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog as stored, hidden and merged services and old slugs included, read inside a change's
 * transaction (after {@code catalog_version} is locked) so that the checks and the writes see the same rows.
 */
final class CatalogState {

    static final class ServiceRow {
        int id;
        String slug;
        String name;
        String category;
        String country;
        String websiteUrl;
        boolean hidden;
        Integer mergedInto;
        Instant createdAt;
        List<String> aliases = new ArrayList<>();
        List<String> problemTypes = new ArrayList<>();
    }

    record CategoryRow(String slug, String nameEn, String nameFr, int position, List<String> problemTypes) {
    }

    record TypeRow(int id, String slug, String labelEn, String labelFr) {
    }

    final Map<String, ServiceRow> services = new LinkedHashMap<>();
    final Map<Integer, ServiceRow> byId = new HashMap<>();
    /** Old slug to the id of the service that answered at it. */
    final Map<String, Integer> retired = new HashMap<>();
    final Map<String, CategoryRow> categories = new LinkedHashMap<>();
    final Map<String, TypeRow> types = new LinkedHashMap<>();
    long version;

    /** Locks the catalog for this transaction (changes run one at a time) and reads it. */
    static CatalogState lockAndLoad(Connection c) throws SQLException {
        return read(c, " for update");
    }

    /** Reads the catalog without locking it. */
    static CatalogState load(Connection c) throws SQLException {
        return read(c, "");
    }

    private static CatalogState read(Connection c, String lock) throws SQLException {
        CatalogState s = new CatalogState();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select version from catalog_version where id = 1" + lock)) {
                rs.next();
                s.version = rs.getLong(1);
            }
            try (ResultSet rs = st.executeQuery("select id, slug, name, category, country, website_url, hidden, merged_into, "
                    + "created_at from service order by slug")) {
                while (rs.next()) {
                    ServiceRow r = new ServiceRow();
                    r.id = rs.getInt(1);
                    r.slug = rs.getString(2);
                    r.name = rs.getString(3);
                    r.category = rs.getString(4);
                    r.country = rs.getString(5);
                    r.websiteUrl = rs.getString(6);
                    r.hidden = rs.getBoolean(7);
                    int into = rs.getInt(8);
                    r.mergedInto = rs.wasNull() ? null : into;
                    r.createdAt = rs.getTimestamp(9).toInstant();
                    s.services.put(r.slug, r);
                    s.byId.put(r.id, r);
                }
            }
            try (ResultSet rs = st.executeQuery("select service_id, alias from service_alias order by service_id, alias")) {
                while (rs.next()) {
                    s.byId.get(rs.getInt(1)).aliases.add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select spt.service_id, pt.slug from service_problem_type spt "
                    + "join problem_type pt on pt.id = spt.problem_type_id order by spt.service_id, spt.position, pt.slug")) {
                while (rs.next()) {
                    s.byId.get(rs.getInt(1)).problemTypes.add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select slug, service_id from service_slug")) {
                while (rs.next()) {
                    s.retired.put(rs.getString(1), rs.getInt(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select id, slug, label_en, label_fr from problem_type order by id")) {
                while (rs.next()) {
                    s.types.put(rs.getString(2), new TypeRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            Map<String, List<String>> categoryTypes = new HashMap<>();
            try (ResultSet rs = st.executeQuery("select cpt.category, pt.slug from category_problem_type cpt "
                    + "join problem_type pt on pt.id = cpt.problem_type_id order by cpt.category, cpt.position, pt.slug")) {
                while (rs.next()) {
                    categoryTypes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("select slug, name_en, name_fr, position from category order by position, slug")) {
                while (rs.next()) {
                    String slug = rs.getString(1);
                    s.categories.put(slug, new CategoryRow(slug, rs.getString(2), rs.getString(3), rs.getInt(4),
                            List.copyOf(categoryTypes.getOrDefault(slug, List.of()))));
                }
            }
        }
        return s;
    }

    /** The service a slug names now: its own, or, for an old slug or a merged service, the one it became. */
    ServiceRow current(String slug) {
        ServiceRow r = services.get(slug);
        if (r == null && retired.containsKey(slug)) {
            r = byId.get(retired.get(slug));
        }
        for (int hops = 0; r != null && r.mergedInto != null && hops < 100; hops++) {
            r = byId.get(r.mergedInto);
        }
        return r;
    }

    /** Old slugs of a service, its merged services' slugs included. */
    List<String> oldSlugs(int serviceId) {
        List<String> slugs = new ArrayList<>();
        retired.forEach((slug, id) -> {
            if (id == serviceId) {
                slugs.add(slug);
            }
        });
        for (ServiceRow r : services.values()) {
            if (r.mergedInto != null && r.mergedInto == serviceId) {
                slugs.add(r.slug);
            }
        }
        slugs.sort(null);
        return slugs;
    }
}
