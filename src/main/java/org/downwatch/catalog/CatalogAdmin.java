package org.downwatch.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.downwatch.catalog.CatalogCheck.Errors;
import org.downwatch.catalog.CatalogCheck.Row;
import org.downwatch.catalog.CatalogCheck.Rows;
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

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final CatalogAudit audit;

    CatalogAdmin(AgroalDataSource dataSource, ObjectMapper json, CatalogAudit audit) {
        this.dataSource = dataSource;
        this.json = json;
        this.audit = audit;
    }

    // ## Services ---------------------------------------------------------------------------------------

    @Transactional
    public ServiceView createService(ServiceInput in, String actor) {
        try (Connection c = dataSource.getConnection()) {
            CatalogState state = CatalogState.lockAndLoad(c);
            if (in == null) {
                throw ProblemException.invalid("body", "a JSON object with slug, name and category is required");
            }
            String slug = CatalogCheck.trim(in.slug());
            if (slug != null && (state.services.containsKey(slug) || state.retired.containsKey(slug))) {
                throw conflict("slug", "the slug " + slug + " is taken (by a service, or as the old slug of one)");
            }
            ServiceInput s = checkedService(state, in, true, new Errors());
            CatalogWriter.write(c, state, new Rows(List.of(), List.of(), List.of(new Row<>(s, 0, ""))), actor);
            audit.record(c, actor, "service.create", "service:" + s.slug(), json.valueToTree(s));
            CatalogWriter.bump(c);
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
            String newSlug = patch.slug() == null ? row.slug : CatalogCheck.trim(patch.slug());
            ObjectNode before = json.valueToTree(view(state, row.slug));
            boolean renamed = newSlug != null && !row.slug.equals(newSlug) && CatalogCheck.SLUG.matcher(newSlug).matches();
            if (renamed) {
                Integer owner = state.retired.get(newSlug);
                if (state.services.containsKey(newSlug) || (owner != null && owner != row.id)) {
                    throw conflict("slug", "the slug " + newSlug + " is taken (by a service, or as the old slug of one)");
                }
                CatalogWriter.rename(c, state, row, newSlug); // rolled back with the rest if a check below fails
            }
            ServiceInput merged = new ServiceInput(newSlug,
                    patch.name() != null ? patch.name() : row.name,
                    patch.category() != null ? patch.category() : row.category,
                    patch.country() != null ? patch.country() : row.country,
                    patch.websiteUrl() != null ? patch.websiteUrl() : row.websiteUrl,
                    patch.aliases(), patch.problemTypes(), patch.hidden());
            ServiceInput s = checkedService(state, merged, false, new Errors());
            Counts written = CatalogWriter.write(c, state, new Rows(List.of(), List.of(), List.of(new Row<>(s, 0, ""))), actor).services();
            boolean changed = renamed || written.updated() > 0;
            ServiceView after = view(CatalogState.lockAndLoad(c), s.slug());
            if (changed) {
                audit.record(c, actor, "service.update", "service:" + slug, audit.changes(before, json.valueToTree(after)));
                CatalogWriter.bump(c);
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
            String targetSlug = CatalogCheck.trim(into);
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
            moved.put("minutes", CatalogWriter.update(c, "insert into report_minute (service_id, problem_type_id, minute, count) "
                    + "select ?, problem_type_id, minute, count from report_minute where service_id = ? "
                    + "on conflict (service_id, minute, problem_type_id) do update set count = report_minute.count + excluded.count",
                    target.id, source.id));
            CatalogWriter.update(c, "delete from report_minute where service_id = ?", source.id);
            CatalogWriter.update(c, "insert into report_minute_network as m (service_id, minute, b0, b1, b2, b3) "
                    + "select ?, minute, b0, b1, b2, b3 from report_minute_network where service_id = ? "
                    + "on conflict (service_id, minute) do update set b0 = m.b0 | excluded.b0, b1 = m.b1 | excluded.b1, "
                    + "b2 = m.b2 | excluded.b2, b3 = m.b3 | excluded.b3", target.id, source.id);
            CatalogWriter.update(c, "delete from report_minute_network where service_id = ?", source.id);
            // "it works for me" counts follow the reports (issue 24)
            CatalogWriter.update(c, "insert into works_minute (service_id, minute, count) "
                    + "select ?, minute, count from works_minute where service_id = ? "
                    + "on conflict (service_id, minute) do update set count = works_minute.count + excluded.count",
                    target.id, source.id);
            CatalogWriter.update(c, "delete from works_minute where service_id = ?", source.id);
            moved.put("reports", CatalogWriter.update(c, "update report set service_id = ? where service_id = ?", target.id, source.id));
            // one open incident per service: the source's ends now, the target's (if any) goes on
            CatalogWriter.update(c, "update incident set ended_at = greatest(started_at, date_trunc('minute', now())) "
                    + "where service_id = ? and ended_at is null", source.id);
            moved.put("incidents", CatalogWriter.update(c, "update incident set service_id = ? where service_id = ?",
                    target.id, source.id));
            CatalogWriter.update(c, "delete from service_status where service_id = ?", source.id);
            CatalogWriter.update(c, "delete from detector_state where service_id = ?", source.id);
            CatalogWriter.update(c, "update service set merged_into = ? where id = ? or merged_into = ?", target.id, source.id, source.id);
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
            audit.record(c, actor, "service.merge", "service:" + source.slug, details);
            CatalogWriter.bump(c);
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
            Rows checked = CatalogCheck.check(state, rows, errors);
            errors.throwIfAny("the category");
            ImportResult r = CatalogWriter.write(c, state, checked, actor);
            CategoryInput saved = checked.categories().get(0).value();
            if (r.changed()) {
                audit.record(c, actor, creating ? "category.create" : "category.update", "category:" + saved.slug(),
                        json.valueToTree(saved));
                CatalogWriter.bump(c);
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
            Rows checked = CatalogCheck.check(state, new Rows(List.of(new Row<>(full, 0, "")), List.of(), List.of()), errors);
            errors.throwIfAny("the problem type");
            ImportResult r = CatalogWriter.write(c, state, checked, actor);
            ProblemTypeInput saved = checked.problemTypes().get(0).value();
            if (r.changed()) {
                audit.record(c, actor, creating ? "problem-type.create" : "problem-type.update", "problem-type:" + saved.slug(),
                        json.valueToTree(saved));
                CatalogWriter.bump(c);
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
            Rows checked = CatalogCheck.check(state, rows, errors);
            errors.throwIfAny("the file");
            long t2 = System.nanoTime();
            ImportResult r = CatalogWriter.write(c, state, checked, actor);
            LOG.infof("Catalog: import of %d services read the catalog in %d ms, checked in %d ms, wrote in %d ms",
                    rows.services().size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
            if (r.changed()) {
                audit.record(c, actor, "import", "catalog", json.valueToTree(r));
                return new ImportResult(r.categories(), r.problemTypes(), r.services(), CatalogWriter.bump(c));
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
    public Map.Entry<List<AuditEntry>, Long> audit(String subject, int page, int size) {
        return audit.page(subject, page, size);
    }

    // ## Checks ---------------------------------------------------------------------------------------

    private ServiceInput checkedService(CatalogState state, ServiceInput in, boolean creating, Errors errors) {
        Rows checked = CatalogCheck.check(state, new Rows(List.of(), List.of(), List.of(new Row<>(in, 0, ""))), errors);
        errors.throwIfAny("the service");
        return checked.services().get(0).value();
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
        return new ServiceView(r.slug, r.name, r.category, r.country, r.websiteUrl, r.hidden, CatalogWriter.sorted(r.aliases),
                List.copyOf(r.problemTypes), state.oldSlugs(r.id), null, r.createdAt);
    }

    private static ProblemException conflict(String field, String message) {
        return new ProblemException(new Problem("https://downwatch.org/problems/conflict", "Conflict", 409, field + ": " + message,
                null, List.of(new Problem.FieldError(field, message))));
    }
}
