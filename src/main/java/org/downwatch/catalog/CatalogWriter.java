package org.downwatch.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.downwatch.catalog.CatalogCheck.Row;
import org.downwatch.catalog.CatalogCheck.Rows;
import org.downwatch.catalog.CatalogModels.CategoryInput;
import org.downwatch.catalog.CatalogModels.Counts;
import org.downwatch.catalog.CatalogModels.ImportResult;
import org.downwatch.catalog.CatalogModels.ProblemTypeInput;
import org.downwatch.catalog.CatalogModels.ServiceInput;
import org.downwatch.catalog.CatalogState.ServiceRow;

/**
 * The SQL of catalog changes, inside the caller's transaction: checked rows written as a handful of array
 * statements (an import of thousands of services stays fast), renames, and the version bump.
 */
final class CatalogWriter {

    private CatalogWriter() {
    }

    /** Writes checked rows that differ from what is stored; counts what was created, updated and left alone. */
    static ImportResult write(Connection c, CatalogState state, Rows rows, String actor) throws SQLException {
        int[] t = {0, 0, 0};
        for (Row<ProblemTypeInput> r : rows.problemTypes()) {
            ProblemTypeInput p = r.value();
            CatalogState.TypeRow old = state.types.get(p.slug());
            if (old != null && old.labelEn().equals(p.labelEn()) && old.labelFr().equals(p.labelFr())) {
                t[2]++;
                continue;
            }
            t[old == null ? 0 : 1]++;
            try (PreparedStatement ps = c.prepareStatement("insert into problem_type (slug, label_en, label_fr) values (?, ?, ?) "
                    + "on conflict (slug) do update set label_en = excluded.label_en, label_fr = excluded.label_fr returning id")) {
                ps.setString(1, p.slug());
                ps.setString(2, p.labelEn());
                ps.setString(3, p.labelFr());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    state.types.put(p.slug(), new CatalogState.TypeRow(rs.getInt(1), p.slug(), p.labelEn(), p.labelFr()));
                }
            }
        }
        int[] k = {0, 0, 0};
        int nextPosition = state.categories.values().stream().mapToInt(CatalogState.CategoryRow::position).max().orElse(0) + 1;
        for (Row<CategoryInput> r : rows.categories()) {
            CategoryInput in = r.value();
            CatalogState.CategoryRow old = state.categories.get(in.slug());
            int position = in.position() != null ? in.position() : old != null ? old.position() : nextPosition++;
            List<String> types = in.problemTypes() != null ? in.problemTypes() : old != null ? old.problemTypes() : List.of();
            if (old != null && old.nameEn().equals(in.nameEn()) && old.nameFr().equals(in.nameFr()) && old.position() == position
                    && old.problemTypes().equals(types)) {
                k[2]++;
                continue;
            }
            k[old == null ? 0 : 1]++;
            update(c, "insert into category (slug, name_en, name_fr, position) values (?, ?, ?, ?) on conflict (slug) do update "
                    + "set name_en = excluded.name_en, name_fr = excluded.name_fr, position = excluded.position",
                    in.slug(), in.nameEn(), in.nameFr(), position);
            if (old == null || !old.problemTypes().equals(types)) {
                update(c, "delete from category_problem_type where category = ?", in.slug());
                for (int i = 0; i < types.size(); i++) {
                    update(c, "insert into category_problem_type (category, problem_type_id, position) values (?, ?, ?)",
                            in.slug(), state.types.get(types.get(i)).id(), i + 1);
                }
            }
            state.categories.put(in.slug(), new CatalogState.CategoryRow(in.slug(), in.nameEn(), in.nameFr(), position, types));
        }
        Counts services = writeServices(c, state, rows.services());
        return new ImportResult(new Counts(k[0], k[1], k[2]), new Counts(t[0], t[1], t[2]), services, state.version);
    }

    private static Counts writeServices(Connection c, CatalogState state, List<Row<ServiceInput>> rows) throws SQLException {
        List<ServiceInput> created = new ArrayList<>();
        List<ServiceInput> updated = new ArrayList<>();
        List<ServiceInput> lists = new ArrayList<>(); // new or changed aliases / own problem types
        int unchanged = 0;
        for (Row<ServiceInput> r : rows) {
            ServiceInput s = r.value();
            ServiceRow old = state.services.get(s.slug());
            if (old == null) {
                created.add(s);
                lists.add(s);
                continue;
            }
            boolean fields = !old.name.equals(s.name()) || !old.category.equals(s.category()) || !Objects.equals(old.country, s.country())
                    || !Objects.equals(old.websiteUrl, s.websiteUrl()) || (s.hidden() != null && s.hidden() != old.hidden);
            boolean listsChanged = (s.aliases() != null && !s.aliases().equals(sorted(old.aliases)))
                    || (s.problemTypes() != null && !s.problemTypes().equals(old.problemTypes));
            if (fields) {
                updated.add(s);
            }
            if (listsChanged) {
                lists.add(s);
                if (!fields) {
                    updated.add(s);
                }
            }
            if (!fields && !listsChanged) {
                unchanged++;
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        if (!created.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into service (slug, name, category, country, website_url, hidden) "
                    + "select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[]) returning id, slug")) {
                ps.setArray(1, c.createArrayOf("text", created.stream().map(ServiceInput::slug).toArray()));
                ps.setArray(2, c.createArrayOf("text", created.stream().map(ServiceInput::name).toArray()));
                ps.setArray(3, c.createArrayOf("text", created.stream().map(ServiceInput::category).toArray()));
                ps.setArray(4, c.createArrayOf("text", created.stream().map(ServiceInput::country).toArray()));
                ps.setArray(5, c.createArrayOf("text", created.stream().map(ServiceInput::websiteUrl).toArray()));
                ps.setArray(6, c.createArrayOf("boolean", created.stream().map(s -> Boolean.TRUE.equals(s.hidden())).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getString(2), rs.getInt(1));
                    }
                }
            }
        }
        for (ServiceInput s : updated) {
            ids.put(s.slug(), state.services.get(s.slug()).id);
        }
        List<ServiceInput> fieldUpdates = updated.stream().filter(s -> differsInFields(state, s)).toList();
        if (!fieldUpdates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update service s set name = u.name, category = u.category, "
                    + "country = u.country, website_url = u.url, hidden = coalesce(u.hidden, s.hidden) "
                    + "from unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[]) as u(id, name, category, country, url, hidden) "
                    + "where s.id = u.id")) {
                ps.setArray(1, c.createArrayOf("int4", fieldUpdates.stream().map(s -> ids.get(s.slug())).toArray()));
                ps.setArray(2, c.createArrayOf("text", fieldUpdates.stream().map(ServiceInput::name).toArray()));
                ps.setArray(3, c.createArrayOf("text", fieldUpdates.stream().map(ServiceInput::category).toArray()));
                ps.setArray(4, c.createArrayOf("text", fieldUpdates.stream().map(ServiceInput::country).toArray()));
                ps.setArray(5, c.createArrayOf("text", fieldUpdates.stream().map(ServiceInput::websiteUrl).toArray()));
                ps.setArray(6, c.createArrayOf("boolean", fieldUpdates.stream().map(ServiceInput::hidden).toArray()));
                ps.executeUpdate();
            }
        }
        List<Object> aliasIds = new ArrayList<>();
        List<Object> aliasNames = new ArrayList<>();
        List<Object> typeIds = new ArrayList<>();
        List<Object> typeSlugs = new ArrayList<>();
        List<Object> typePositions = new ArrayList<>();
        List<Object> clearAliases = new ArrayList<>();
        List<Object> clearTypes = new ArrayList<>();
        for (ServiceInput s : lists) {
            int id = ids.get(s.slug());
            if (s.aliases() != null) {
                clearAliases.add(id);
                s.aliases().forEach(a -> {
                    aliasIds.add(id);
                    aliasNames.add(a);
                });
            }
            if (s.problemTypes() != null) {
                clearTypes.add(id);
                for (int i = 0; i < s.problemTypes().size(); i++) {
                    typeIds.add(id);
                    typeSlugs.add(s.problemTypes().get(i));
                    typePositions.add(i + 1);
                }
            }
        }
        if (!clearAliases.isEmpty()) {
            update(c, "delete from service_alias where service_id = any(?::int[])", c.createArrayOf("int4", clearAliases.toArray()));
            update(c, "insert into service_alias (service_id, alias) select * from unnest(?::int[], ?::text[])",
                    c.createArrayOf("int4", aliasIds.toArray()), c.createArrayOf("text", aliasNames.toArray()));
        }
        if (!clearTypes.isEmpty()) {
            update(c, "delete from service_problem_type where service_id = any(?::int[])", c.createArrayOf("int4", clearTypes.toArray()));
            update(c, "insert into service_problem_type (service_id, problem_type_id, position) select u.id, pt.id, u.position "
                    + "from unnest(?::int[], ?::text[], ?::int[]) as u(id, slug, position) join problem_type pt on pt.slug = u.slug",
                    c.createArrayOf("int4", typeIds.toArray()), c.createArrayOf("text", typeSlugs.toArray()),
                    c.createArrayOf("int4", typePositions.toArray()));
        }
        return new Counts(created.size(), updated.size(), unchanged);
    }

    private static boolean differsInFields(CatalogState state, ServiceInput s) {
        ServiceRow old = state.services.get(s.slug());
        return old != null && (!old.name.equals(s.name()) || !old.category.equals(s.category())
                || !Objects.equals(old.country, s.country()) || !Objects.equals(old.websiteUrl, s.websiteUrl())
                || (s.hidden() != null && s.hidden() != old.hidden));
    }

    static void rename(Connection c, CatalogState state, ServiceRow row, String newSlug) throws SQLException {
        update(c, "delete from service_slug where slug = ?", newSlug); // renamed back to an old slug of its own
        update(c, "update service set slug = ? where id = ?", newSlug, row.id);
        update(c, "insert into service_slug (slug, service_id) values (?, ?)", row.slug, row.id);
        state.retired.remove(newSlug);
        state.retired.put(row.slug, row.id);
        state.services.remove(row.slug);
        row.slug = newSlug;
        state.services.put(newSlug, row);
    }

    /** Bumps the catalog's version: every instance reloads within {@code downwatch.catalog.refresh-every}. */
    static long bump(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update catalog_version set version = version + 1, changed_at = now() "
                + "where id = 1 returning version"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Aliases are kept sorted, so an import compares them regardless of order. */
    static List<String> sorted(List<String> list) {
        List<String> s = new ArrayList<>(list);
        s.sort(null);
        return List.copyOf(s);
    }
}
