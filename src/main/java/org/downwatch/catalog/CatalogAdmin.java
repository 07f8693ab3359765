package org.downwatch.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.downwatch.catalog.CatalogModels.AuditEntry;
import org.downwatch.catalog.CatalogModels.CatalogFile;
import org.downwatch.catalog.CatalogModels.CategoryInput;
import org.downwatch.catalog.CatalogModels.Counts;
import org.downwatch.catalog.CatalogModels.ImportResult;
import org.downwatch.catalog.CatalogModels.ProblemTypeInput;
import org.downwatch.catalog.CatalogModels.ServiceInput;
import org.downwatch.catalog.CatalogModels.ServiceView;
import org.downwatch.catalog.CatalogState.ServiceRow;
import org.downwatch.shared.Problem;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * Changes to the catalog: services (create, change, hide, merge), categories, problem types, and whole
 * imports. Each change is one transaction that locks {@code catalog_version}, checks everything before
 * writing anything, writes, records who did it in {@code catalog_audit} and bumps the version, which every
 * instance's {@link Catalog} polls. Plain JDBC in the JTA transaction: an import of thousands of services is
 * a handful of array statements.
 */
@ApplicationScoped
public class CatalogAdmin {

    private static final Logger LOG = Logger.getLogger(CatalogAdmin.class);
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** At most this many errors are listed; the detail says how many there were. */
    private static final int MAX_ERRORS = 100;

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    CatalogAdmin(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** One row of an import, or a single change: where it came from, for the error messages. */
    record Row<T>(T value, int line, String field) {
    }

    /** The rows of an import file (JSON or CSV), each with its line. */
    record Rows(List<Row<ProblemTypeInput>> problemTypes, List<Row<CategoryInput>> categories, List<Row<ServiceInput>> services,
            Errors errors) {

        Rows(List<Row<ProblemTypeInput>> problemTypes, List<Row<CategoryInput>> categories, List<Row<ServiceInput>> services) {
            this(problemTypes, categories, services, null);
        }
    }

    /** Errors gathered over a whole input before anything is written. */
    static final class Errors {
        final List<Problem.FieldError> list = new ArrayList<>();
        int count;

        void add(int line, String field, String message) {
            count++;
            if (list.size() < MAX_ERRORS) {
                list.add(new Problem.FieldError(field, message, line > 0 ? line : null));
            }
        }

        void throwIfAny(String what) {
            if (count == 0) {
                return;
            }
            list.sort(java.util.Comparator.comparing((Problem.FieldError f) -> f.line() == null ? 0 : f.line()));
            Problem.FieldError first = list.get(0);
            String detail = count + " error" + (count == 1 ? "" : "s") + " in " + what + ", nothing was changed; first: "
                    + (first.line() != null ? "line " + first.line() + ", " : "") + first.field() + ": " + first.message();
            throw new ProblemException(Problem.invalid(detail, list));
        }
    }

    // ## Services ---------------------------------------------------------------------------------------

    @Transactional
    public ServiceView createService(ServiceInput in, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            if (in == null) {
                throw ProblemException.invalid("body", "a JSON object with slug, name and category is required");
            }
            String slug = trim(in.slug());
            if (slug != null && (state.services.containsKey(slug) || state.retired.containsKey(slug))) {
                throw conflict("slug", "the slug " + slug + " is taken (by a service, or as the old slug of one)");
            }
            ServiceInput s = checkedService(state, in, true, new Errors());
            write(c, state, new Rows(List.of(), List.of(), List.of(new Row<>(s, 0, ""))), actor);
            audit(c, actor, "service.create", "service:" + s.slug(), json.valueToTree(s));
            bump(c);
            return view(CatalogState.lockAndLoad(c), s.slug());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Renames, recategorises, hides or otherwise changes a service; a new slug keeps the old one as a redirect. */
    @Transactional
    public ServiceView updateService(String slug, ServiceInput patch, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            ServiceRow row = live(state, slug);
            if (patch == null) {
                throw ProblemException.invalid("body", "a JSON object with the members to change is required");
            }
            String newSlug = patch.slug() == null ? row.slug : trim(patch.slug());
            ObjectNode before = json.valueToTree(view(state, row.slug));
            boolean renamed = newSlug != null && !row.slug.equals(newSlug) && SLUG.matcher(newSlug).matches();
            if (renamed) {
                Integer owner = state.retired.get(newSlug);
                if (state.services.containsKey(newSlug) || (owner != null && owner != row.id)) {
                    throw conflict("slug", "the slug " + newSlug + " is taken (by a service, or as the old slug of one)");
                }
                rename(c, state, row, newSlug); // rolled back with the rest if a check below fails
            }
            ServiceInput merged = new ServiceInput(newSlug,
                    patch.name() != null ? patch.name() : row.name,
                    patch.category() != null ? patch.category() : row.category,
                    patch.country() != null ? patch.country() : row.country,
                    patch.websiteUrl() != null ? patch.websiteUrl() : row.websiteUrl,
                    patch.aliases(), patch.problemTypes(), patch.hidden());
            ServiceInput s = checkedService(state, merged, false, new Errors());
            Counts written = write(c, state, new Rows(List.of(), List.of(), List.of(new Row<>(s, 0, ""))), actor).services();
            boolean changed = renamed || written.updated() > 0;
            ServiceView after = view(CatalogState.lockAndLoad(c), s.slug());
            if (changed) {
                audit(c, actor, "service.update", "service:" + slug, changes(before, json.valueToTree(after)));
                bump(c);
            }
            return after;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Merges the service at {@code slug} into the one at {@code into}: its per-minute counts are added to the
     * target's, its reports and incidents move to it, its name and aliases become the target's aliases, and
     * its slug redirects to the target. Detection goes on from the merged series ({@link Catalog.Changed}).
     */
    @Transactional
    public ServiceView mergeService(String slug, String into, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            ServiceRow source = live(state, slug);
            String targetSlug = trim(into);
            if (targetSlug == null || targetSlug.isEmpty()) {
                throw ProblemException.invalid("into", "the slug of the service to merge into is required");
            }
            ServiceRow target = state.services.get(targetSlug);
            if (target == null || target.mergedInto != null) {
                throw ProblemException.invalid("into", "no service has the slug " + targetSlug);
            }
            if (target.id == source.id) {
                throw ProblemException.invalid("into", "a service cannot be merged into itself");
            }
            Map<String, Integer> moved = new LinkedHashMap<>();
            moved.put("minutes", update(c, "insert into report_minute (service_id, problem_type_id, minute, count) "
                    + "select ?, problem_type_id, minute, count from report_minute where service_id = ? "
                    + "on conflict (service_id, minute, problem_type_id) do update set count = report_minute.count + excluded.count",
                    target.id, source.id));
            update(c, "delete from report_minute where service_id = ?", source.id);
            moved.put("reports", update(c, "update report set service_id = ? where service_id = ?", target.id, source.id));
            // one open incident per service: the source's ends now, the target's (if any) goes on
            update(c, "update incident set ended_at = greatest(started_at, date_trunc('minute', now())) "
                    + "where service_id = ? and ended_at is null", source.id);
            moved.put("incidents", update(c, "update incident set service_id = ? where service_id = ?", target.id, source.id));
            update(c, "delete from service_status where service_id = ?", source.id);
            update(c, "delete from detector_state where service_id = ?", source.id);
            update(c, "update service set merged_into = ? where id = ? or merged_into = ?", target.id, source.id, source.id);
            Set<String> aliases = new HashSet<>(target.aliases);
            try (PreparedStatement ps = c.prepareStatement("insert into service_alias (service_id, alias) values (?, ?) on conflict do nothing")) {
                List<String> add = new ArrayList<>(source.aliases);
                add.add(0, source.name);
                for (String a : add) {
                    if (!a.equals(target.name) && aliases.add(a)) {
                        ps.setInt(1, target.id);
                        ps.setString(2, a);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            ObjectNode details = json.createObjectNode().put("into", target.slug);
            details.set("moved", json.valueToTree(moved));
            audit(c, actor, "service.merge", "service:" + source.slug, details);
            bump(c);
            return view(CatalogState.lockAndLoad(c), target.slug);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service as stored, hidden ones included; a 404 for an unknown or merged one. */
    @Transactional
    public ServiceView service(String slug) {
        try (Connection c = dataSource.getConnection()) {
            return view(CatalogState.load(c), slug);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ## Categories and problem types ------------------------------------------------------------------

    @Transactional
    public CategoryInput saveCategory(String slug, CategoryInput in, boolean creating, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            if (in == null) {
                throw ProblemException.invalid("body", "a JSON object with slug, nameEn and nameFr is required");
            }
            CategoryInput full = in;
            if (creating) {
                if (in.slug() != null && state.categories.containsKey(in.slug().trim())) {
                    throw conflict("slug", "a category has the slug " + in.slug().trim());
                }
            } else {
                CatalogState.CategoryRow row = state.categories.get(slug);
                if (row == null) {
                    throw ProblemException.notFound("No category has the slug " + slug);
                }
                if (in.slug() != null && !in.slug().trim().equals(slug)) {
                    throw ProblemException.invalid("slug", "a category's slug cannot change (its pages and services use it)");
                }
                full = new CategoryInput(slug, in.nameEn() != null ? in.nameEn() : row.nameEn(),
                        in.nameFr() != null ? in.nameFr() : row.nameFr(), in.position(), in.problemTypes());
            }
            Rows rows = new Rows(List.of(), List.of(new Row<>(full, 0, "")), List.of());
            Errors errors = new Errors();
            Rows checked = check(state, rows, errors);
            errors.throwIfAny("the category");
            ImportResult r = write(c, state, checked, actor);
            CategoryInput saved = checked.categories().get(0).value();
            if (r.changed()) {
                audit(c, actor, creating ? "category.create" : "category.update", "category:" + saved.slug(), json.valueToTree(saved));
                bump(c);
            }
            CatalogState.CategoryRow row = CatalogState.load(c).categories.get(saved.slug());
            return new CategoryInput(row.slug(), row.nameEn(), row.nameFr(), row.position(), row.problemTypes());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public ProblemTypeInput saveProblemType(String slug, ProblemTypeInput in, boolean creating, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            if (in == null) {
                throw ProblemException.invalid("body", "a JSON object with slug, labelEn and labelFr is required");
            }
            ProblemTypeInput full = in;
            if (creating) {
                if (in.slug() != null && state.types.containsKey(in.slug().trim())) {
                    throw conflict("slug", "a problem type has the slug " + in.slug().trim());
                }
            } else {
                CatalogState.TypeRow row = state.types.get(slug);
                if (row == null) {
                    throw ProblemException.notFound("No problem type has the slug " + slug);
                }
                if (in.slug() != null && !in.slug().trim().equals(slug)) {
                    throw ProblemException.invalid("slug", "a problem type's slug cannot change (reports are counted under it)");
                }
                full = new ProblemTypeInput(slug, in.labelEn() != null ? in.labelEn() : row.labelEn(),
                        in.labelFr() != null ? in.labelFr() : row.labelFr());
            }
            Errors errors = new Errors();
            Rows checked = check(state, new Rows(List.of(new Row<>(full, 0, "")), List.of(), List.of()), errors);
            errors.throwIfAny("the problem type");
            ImportResult r = write(c, state, checked, actor);
            ProblemTypeInput saved = checked.problemTypes().get(0).value();
            if (r.changed()) {
                audit(c, actor, creating ? "problem-type.create" : "problem-type.update", "problem-type:" + saved.slug(),
                        json.valueToTree(saved));
                bump(c);
            }
            return saved;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ## Import, export, audit -------------------------------------------------------------------------

    /**
     * Imports a whole file: every row is checked against the catalog and the rest of the file first, and if
     * any is wrong nothing is written (400 naming each line and field). Rows are matched by slug; a row equal
     * to what is stored changes nothing, so the same import twice is a no-op (no audit, no new version).
     * Services, categories and problem types absent from the file are left as they are.
     */
    @Transactional
    public ImportResult importFile(byte[] body, boolean csv, String actor) {
        return importCatalog(csv ? CatalogFiles.csv(body) : CatalogFiles.json(json, body), actor);
    }

    @Transactional
    ImportResult importCatalog(Rows rows, String actor) {
        try (Connection c = dataSource.getConnection()) {
            long t0 = System.nanoTime();
            CatalogState state = CatalogState.lockAndLoad(c);
            long t1 = System.nanoTime();
            Errors errors = rows.errors() != null ? rows.errors() : new Errors(); // the file's own errors first
            Rows checked = check(state, rows, errors);
            errors.throwIfAny("the file");
            long t2 = System.nanoTime();
            ImportResult r = write(c, state, checked, actor);
            LOG.infof("Catalog: import of %d services read the catalog in %d ms, checked in %d ms, wrote in %d ms",
                    rows.services().size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
            if (r.changed()) {
                audit(c, actor, "import", "catalog", json.valueToTree(r));
                return new ImportResult(r.categories(), r.problemTypes(), r.services(), bump(c));
            }
            return r;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The whole catalog as an import file: every service but merged ones (whose slugs redirect). */
    @Transactional
    public CatalogFile export() {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.load(c);
            List<ProblemTypeInput> types = state.types.values().stream()
                    .map(t -> new ProblemTypeInput(t.slug(), t.labelEn(), t.labelFr())).toList();
            List<CategoryInput> cats = state.categories.values().stream()
                    .map(k -> new CategoryInput(k.slug(), k.nameEn(), k.nameFr(), k.position(), k.problemTypes())).toList();
            List<ServiceInput> services = state.services.values().stream().filter(s -> s.mergedInto == null)
                    .map(s -> new ServiceInput(s.slug, s.name, s.category, s.country, s.websiteUrl, List.copyOf(s.aliases),
                            List.copyOf(s.problemTypes), s.hidden)).toList();
            return new CatalogFile(cats, types, services);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes newest first, optionally those of one subject ("service:la-poste"); with the total. */
    @Transactional
    public Map.Entry<List<AuditEntry>, Long> audit(String subject, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            String where = subject == null ? "" : " where subject = ?";
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from catalog_audit" + where)) {
                if (subject != null) {
                    ps.setString(1, subject);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntry> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, at, actor, action, subject, details::text from catalog_audit"
                    + where + " order by at desc, id desc limit ? offset ?")) {
                int i = 1;
                if (subject != null) {
                    ps.setString(i++, subject);
                }
                ps.setInt(i++, size);
                ps.setLong(i, (long) (page - 1) * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                                rs.getString(5), json.readTree(rs.getString(6))));
                    }
                }
            }
            return Map.entry(items, total);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ## Checks ---------------------------------------------------------------------------------------

    private ServiceInput checkedService(CatalogState state, ServiceInput in, boolean creating, Errors errors) {
        Rows checked = check(state, new Rows(List.of(), List.of(), List.of(new Row<>(in, 0, ""))), errors);
        errors.throwIfAny("the service");
        return checked.services().get(0).value();
    }

    /** Checks and normalises every row against the stored catalog and the other rows; errors name line and field. */
    Rows check(CatalogState state, Rows rows, Errors e) {
        Set<String> types = new HashSet<>(state.types.keySet());
        Set<String> seen = new HashSet<>();
        List<Row<ProblemTypeInput>> outTypes = new ArrayList<>();
        for (Row<ProblemTypeInput> r : rows.problemTypes()) {
            ProblemTypeInput t = r.value();
            String slug = slug(t.slug(), r, e);
            String en = text(t.labelEn(), 100, true, r, "labelEn", e);
            String fr = text(t.labelFr(), 100, true, r, "labelFr", e);
            if (slug != null && !seen.add(slug)) {
                e.add(r.line(), r.field() + "slug", "the problem type " + slug + " appears twice");
            }
            if (slug != null) {
                types.add(slug);
            }
            outTypes.add(new Row<>(new ProblemTypeInput(slug, en, fr), r.line(), r.field()));
        }
        Set<String> categories = new HashSet<>(state.categories.keySet());
        seen.clear();
        List<Row<CategoryInput>> outCats = new ArrayList<>();
        for (Row<CategoryInput> r : rows.categories()) {
            CategoryInput k = r.value();
            String slug = slug(k.slug(), r, e);
            String en = text(k.nameEn(), 100, true, r, "nameEn", e);
            String fr = text(k.nameFr(), 100, true, r, "nameFr", e);
            if (k.position() != null && (k.position() < 0 || k.position() > 1_000_000)) {
                e.add(r.line(), r.field() + "position", "must be between 0 and 1000000");
            }
            List<String> pts = slugList(k.problemTypes(), types, "problemTypes", "problem type", r, e);
            if (slug != null && !seen.add(slug)) {
                e.add(r.line(), r.field() + "slug", "the category " + slug + " appears twice");
            }
            if (slug != null) {
                categories.add(slug);
            }
            outCats.add(new Row<>(new CategoryInput(slug, en, fr, k.position(), pts), r.line(), r.field()));
        }
        seen.clear();
        List<Row<ServiceInput>> outServices = new ArrayList<>(rows.services().size());
        for (Row<ServiceInput> r : rows.services()) {
            ServiceInput s = r.value();
            String slug = slug(s.slug(), r, e);
            if (slug != null) {
                ServiceRow stored = state.services.get(slug);
                Integer retiredBy = state.retired.get(slug);
                if (stored != null && stored.mergedInto != null) {
                    e.add(r.line(), r.field() + "slug", "the service " + slug + " was merged into "
                            + state.current(slug).slug + "; its slug redirects there");
                } else if (stored == null && retiredBy != null) {
                    e.add(r.line(), r.field() + "slug", slug + " is an old slug of " + state.current(slug).slug
                            + " (renamed); use the new slug");
                }
                if (!seen.add(slug)) {
                    e.add(r.line(), r.field() + "slug", "the service " + slug + " appears twice");
                }
            }
            String name = text(s.name(), 200, true, r, "name", e);
            String category = trim(s.category());
            if (category == null || category.isEmpty()) {
                e.add(r.line(), r.field() + "category", "is required");
            } else if (!categories.contains(category)) {
                e.add(r.line(), r.field() + "category", "no category has the slug " + category);
            }
            String country = trim(s.country());
            if (country != null && country.isEmpty()) {
                country = null;
            } else if (country != null) {
                country = country.toUpperCase(java.util.Locale.ROOT);
                if (!COUNTRY.matcher(country).matches()) {
                    e.add(r.line(), r.field() + "country", "must be an ISO 3166-1 alpha-2 code (FR), or empty for a worldwide service");
                }
            }
            String url = trim(s.websiteUrl());
            if (url != null && url.isEmpty()) {
                url = null;
            } else if (url != null && !isWebUrl(url)) {
                e.add(r.line(), r.field() + "websiteUrl", "must be an http or https URL of at most 500 characters");
            }
            List<String> aliases = null;
            if (s.aliases() != null) {
                aliases = new ArrayList<>();
                for (String a : s.aliases()) {
                    String alias = text(a, 100, true, r, "aliases", e);
                    if (alias != null && alias.indexOf('|') >= 0) {
                        e.add(r.line(), r.field() + "aliases", "an alias cannot contain | (the CSV's list separator)");
                    }
                    if (alias != null && !aliases.contains(alias)) {
                        aliases.add(alias);
                    }
                }
                if (aliases.size() > 50) {
                    e.add(r.line(), r.field() + "aliases", "at most 50 aliases");
                }
                aliases.sort(null);
            }
            List<String> pts = slugList(s.problemTypes(), types, "problemTypes", "problem type", r, e);
            outServices.add(new Row<>(new ServiceInput(slug, name, category, country, url, aliases, pts, s.hidden()), r.line(), r.field()));
        }
        return new Rows(outTypes, outCats, outServices);
    }

    private static String slug(String raw, Row<?> r, Errors e) {
        String slug = trim(raw);
        if (slug == null || slug.isEmpty()) {
            e.add(r.line(), r.field() + "slug", "is required");
            return null;
        }
        if (slug.length() > 100 || !SLUG.matcher(slug).matches()) {
            e.add(r.line(), r.field() + "slug", "lower-case letters and digits in words joined by single dashes (la-poste), at most 100 characters");
            return null;
        }
        return slug;
    }

    private static String text(String raw, int max, boolean required, Row<?> r, String field, Errors e) {
        String t = trim(raw);
        if (t == null || t.isEmpty()) {
            if (required) {
                e.add(r.line(), r.field() + field, "is required");
            }
            return null;
        }
        if (t.length() > max) {
            e.add(r.line(), r.field() + field, "at most " + max + " characters");
        } else if (CONTROL.matcher(t).find()) {
            e.add(r.line(), r.field() + field, "control characters are not allowed");
        }
        return t;
    }

    private static List<String> slugList(List<String> raw, Set<String> known, String field, String what, Row<?> r, Errors e) {
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String x : raw) {
            String s = trim(x);
            if (s == null || s.isEmpty()) {
                continue;
            }
            if (!known.contains(s)) {
                e.add(r.line(), r.field() + field, "no " + what + " has the slug " + s);
            } else if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static boolean isWebUrl(String url) {
        if (url.length() > 500) {
            return false;
        }
        try {
            URI u = new URI(url);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (Exception ex) {
            return false;
        }
    }

    // ## Writes ---------------------------------------------------------------------------------------

    /** Writes checked rows that differ from what is stored; counts what was created, updated and left alone. */
    private ImportResult write(Connection c, CatalogState state, Rows rows, String actor) throws SQLException {
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

    private Counts writeServices(Connection c, CatalogState state, List<Row<ServiceInput>> rows) throws SQLException {
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

    private static void rename(Connection c, CatalogState state, ServiceRow row, String newSlug) throws SQLException {
        update(c, "delete from service_slug where slug = ?", newSlug); // renamed back to an old slug of its own
        update(c, "update service set slug = ? where id = ?", newSlug, row.id);
        update(c, "insert into service_slug (slug, service_id) values (?, ?)", row.slug, row.id);
        state.retired.remove(newSlug);
        state.retired.put(row.slug, row.id);
        state.services.remove(row.slug);
        row.slug = newSlug;
        state.services.put(newSlug, row);
    }

    private void audit(Connection c, String actor, String action, String subject, Object details) throws SQLException {
        try {
            update(c, "insert into catalog_audit (actor, action, subject, details) values (?, ?, ?, ?::jsonb)", actor, action, subject,
                    json.writeValueAsString(details));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bumps the catalog's version: every instance reloads within {@code downwatch.catalog.refresh-every}. */
    private static long bump(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update catalog_version set version = version + 1, changed_at = now() "
                + "where id = 1 returning version"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    // ## Views ----------------------------------------------------------------------------------------

    private static ServiceRow live(CatalogState state, String slug) {
        ServiceRow row = slug == null ? null : state.services.get(slug);
        if (row == null || row.mergedInto != null) {
            ServiceRow now = slug == null ? null : state.current(slug);
            throw ProblemException.notFound("No service has the slug " + slug + (now != null ? " (it is now " + now.slug + ")" : ""));
        }
        return row;
    }

    private static ServiceView view(CatalogState state, String slug) {
        ServiceRow r = live(state, slug);
        return new ServiceView(r.slug, r.name, r.category, r.country, r.websiteUrl, r.hidden, sorted(r.aliases),
                List.copyOf(r.problemTypes), state.oldSlugs(r.id), null, r.createdAt);
    }

    /** The members that changed, before and after. */
    private ObjectNode changes(ObjectNode before, ObjectNode after) {
        ObjectNode out = json.createObjectNode();
        ObjectNode was = out.putObject("before");
        ObjectNode now = out.putObject("after");
        after.fieldNames().forEachRemaining(f -> {
            if (!Objects.equals(before.get(f), after.get(f)) && !f.equals("oldSlugs")) {
                was.set(f, before.get(f));
                now.set(f, after.get(f));
            }
        });
        return out;
    }

    private static List<String> sorted(List<String> list) {
        List<String> s = new ArrayList<>(list);
        s.sort(null);
        return List.copyOf(s);
    }

    private static String trim(String s) {
        return s == null ? null : s.strip();
    }

    private static ProblemException conflict(String field, String message) {
        return new ProblemException(new Problem("https://downwatch.org/problems/conflict", "Conflict", 409, field + ": " + message,
                null, List.of(new Problem.FieldError(field, message))));
    }
}
