package org.downwatch.catalog;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.downwatch.shared.ProblemException;
import org.jboss.logging.Logger;

/**
 * The catalog held in memory: every report, page and API call needs it, while it changes only through the
 * admin API. One immutable {@link Snapshot}, read in one repeatable-read transaction and swapped whole, so
 * that nothing sees half a change; every instance polls {@code catalog_version} every few seconds
 * ({@code downwatch.catalog.refresh-every}) and reloads when it moved. The entities it hands out are
 * detached and must be treated as read-only.
 */
@ApplicationScoped
public class Catalog {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

    /** Fired after a new snapshot was swapped in; {@code merged} maps each newly merged service to its target. */
    public record Changed(long version, Map<Integer, Integer> merged) {
    }

    private final AgroalDataSource dataSource;
    private final Event<Changed> changes;
    /** Null outside CDI (a standalone catalog polls when told to). */
    private final CatalogConfig config;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    @Inject
    Catalog(AgroalDataSource dataSource, Event<Changed> changes, CatalogConfig config) {
        this.dataSource = dataSource;
        this.changes = changes;
        this.config = config;
    }

    /** A catalog outside CDI over the same database: what another instance sees (tests and benches). */
    static Catalog standalone(AgroalDataSource dataSource) {
        return new Catalog(dataSource, null, null);
    }

    private record Searchable(Service service, String nameKey, List<String> aliasKeys) {
    }

    private record Snapshot(long version, List<Service> services, Map<String, Service> bySlug, Map<Integer, Service> byId,
            List<Category> categories, Map<String, Category> categoryBySlug, Map<Integer, ProblemType> typeById,
            Map<Integer, List<ProblemType>> typesByService, Map<String, String> moved, Map<Integer, Integer> mergedInto,
            List<Searchable> searchable) {
    }

    /** The version of the catalog this instance serves. */
    public long version() {
        return snapshot().version;
    }

    /** All services people can see and report on (not hidden, not merged), by name. */
    public List<Service> services() {
        return snapshot().services;
    }

    public Optional<Service> service(String slug) {
        return slug == null ? Optional.empty() : Optional.ofNullable(snapshot().bySlug.get(slug));
    }

    /**
     * The service at {@code slug}: a 404 when there is none, a {@link ServiceMoved} (redirect) when the slug
     * is one a renamed or merged service answered at.
     */
    public Service require(String slug) {
        Snapshot s = snapshot();
        Service found = slug == null ? null : s.bySlug.get(slug);
        if (found != null) {
            return found;
        }
        String now = slug == null ? null : s.moved.get(slug);
        if (now != null) {
            throw new ServiceMoved(slug, now);
        }
        throw ProblemException.notFound("No service has the slug " + slug);
    }

    /** The service at {@code slug}, following old slugs silently (a report to an old slug counts for its service). */
    public Optional<Service> resolve(String slug) {
        Snapshot s = snapshot();
        Service found = slug == null ? null : s.bySlug.get(slug);
        if (found == null && slug != null && s.moved.containsKey(slug)) {
            found = s.bySlug.get(s.moved.get(slug));
        }
        return Optional.ofNullable(found);
    }

    public Optional<Service> service(int id) {
        return Optional.ofNullable(snapshot().byId.get(id));
    }

    /** Categories in display order. */
    public List<Category> categories() {
        return snapshot().categories;
    }

    public Optional<Category> category(String slug) {
        return slug == null ? Optional.empty() : Optional.ofNullable(snapshot().categoryBySlug.get(slug));
    }

    /** The category, or a 404. */
    public Category requireCategory(String slug) {
        return category(slug).orElseThrow(() -> ProblemException.notFound("No category has the slug " + slug));
    }

    public List<Service> servicesIn(String category) {
        return snapshot().services.stream().filter(s -> s.category.equals(category)).toList();
    }

    /** The problem types a person can pick for this service, the service's own first. */
    public List<ProblemType> problemTypes(int serviceId) {
        return snapshot().typesByService.getOrDefault(serviceId, List.of());
    }

    /** The problem type {@code slug} when this service offers it. */
    public Optional<ProblemType> problemType(int serviceId, String slug) {
        return problemTypes(serviceId).stream().filter(p -> p.slug.equals(slug)).findFirst();
    }

    public Optional<ProblemType> problemType(int id) {
        return Optional.ofNullable(snapshot().typeById.get(id));
    }

    /**
     * The share of each problem type in {@code counts} (problem type id to reports), most reported first;
     * with {@code includeUnreported}, every type the service offers is listed, zero when unreported.
     */
    public List<ProblemShares.Share> shares(int serviceId, Map<Integer, Integer> counts, boolean includeUnreported) {
        return ProblemShares.of(problemTypes(serviceId), counts, includeUnreported, this::problemType);
    }

    /**
     * Services whose name, one of its aliases or slug contains the query, ignoring case and accents; names
     * starting with it first, then aliases starting with it.
     */
    public List<Service> search(String query) {
        String q = SearchKey.of(query);
        if (q.isEmpty()) {
            return services();
        }
        String dashed = q.replace(' ', '-');
        List<Service> first = new ArrayList<>();
        List<Service> second = new ArrayList<>();
        List<Service> rest = new ArrayList<>();
        for (Searchable s : snapshot().searchable) {
            if (s.nameKey.startsWith(q)) {
                first.add(s.service);
            } else if (s.aliasKeys.stream().anyMatch(a -> a.startsWith(q))) {
                second.add(s.service);
            } else if (s.nameKey.contains(q) || s.service.slug.contains(dashed) || s.aliasKeys.stream().anyMatch(a -> a.contains(q))) {
                rest.add(s.service);
            }
        }
        first.addAll(second);
        first.addAll(rest);
        return first;
    }

    /** Reloads when another instance (or this one) changed the catalog: one indexed single-row read every few seconds. */
    @Scheduled(every = "${downwatch.catalog.refresh-every:2s}", delayed = "${downwatch.catalog.refresh-every:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            Snapshot s = snapshot.get();
            if (s == null || currentVersion() != s.version) {
                refresh();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(e, "Catalog: could not check for changes (serving the catalog as it was; again in %s)",
                    config == null ? "a moment" : config.refreshEvery());
        }
    }

    /** Loads the catalog now and swaps it in (after a change made here: the change is served at once). */
    public void refresh() {
        long t0 = System.nanoTime();
        Snapshot next = load();
        Snapshot previous;
        synchronized (this) {
            previous = snapshot.get();
            if (previous != null && previous.version >= next.version && previous.version != 0) {
                return; // a concurrent refresh already swapped in this version or a newer one
            }
            snapshot.set(next);
        }
        if (previous == null) {
            return;
        }
        Map<Integer, Integer> merged = new HashMap<>();
        next.mergedInto.forEach((source, target) -> {
            if (!previous.mergedInto.containsKey(source)) {
                merged.put(source, target);
            }
        });
        LOG.infof("Catalog: version %d (%d services) loaded in %d ms", next.version, next.services.size(),
                (System.nanoTime() - t0) / 1_000_000);
        if (changes != null) {
            changes.fire(new Changed(next.version, Map.copyOf(merged)));
        }
    }

    private Snapshot snapshot() {
        Snapshot s = snapshot.get();
        if (s == null) {
            synchronized (this) {
                s = snapshot.get();
                if (s == null) {
                    s = load();
                    snapshot.set(s);
                }
            }
        }
        return s;
    }

    private long currentVersion() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select version from catalog_version where id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Reads the whole catalog in one repeatable-read transaction: the version and the rows of one commit. */
    private Snapshot load() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement st = c.createStatement()) {
                return read(st);
            } finally {
                c.rollback();
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not load the catalog", e);
        }
    }

    private static Snapshot read(Statement st) throws SQLException {
        long version = 0;
        try (ResultSet rs = st.executeQuery("select version from catalog_version where id = 1")) {
            if (rs.next()) {
                version = rs.getLong(1);
            }
        }
        Map<Integer, Service> all = new LinkedHashMap<>();
        Map<Integer, Boolean> hidden = new HashMap<>();
        Map<Integer, Integer> mergedInto = new HashMap<>();
        try (ResultSet rs = st.executeQuery("select id, slug, name, category, country, website_url, created_at, search_key, "
                + "hidden, merged_into from service order by name, slug")) {
            while (rs.next()) {
                Service s = new Service();
                s.id = rs.getInt(1);
                s.slug = rs.getString(2);
                s.name = rs.getString(3);
                s.category = rs.getString(4);
                s.country = rs.getString(5);
                s.websiteUrl = rs.getString(6);
                Timestamp created = rs.getTimestamp(7);
                s.createdAt = created == null ? null : created.toInstant();
                s.searchKey = rs.getString(8);
                all.put(s.id, s);
                hidden.put(s.id, rs.getBoolean(9));
                int into = rs.getInt(10);
                if (!rs.wasNull()) {
                    mergedInto.put(s.id, into);
                }
            }
        }
        List<Category> cats = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("select slug, name_en, name_fr, position from category order by position, slug")) {
            while (rs.next()) {
                Category c = new Category();
                c.slug = rs.getString(1);
                c.nameEn = rs.getString(2);
                c.nameFr = rs.getString(3);
                c.position = rs.getInt(4);
                cats.add(c);
            }
        }
        Map<Integer, ProblemType> types = new HashMap<>();
        try (ResultSet rs = st.executeQuery("select id, slug, label_en, label_fr from problem_type")) {
            while (rs.next()) {
                ProblemType p = new ProblemType();
                p.id = rs.getInt(1);
                p.slug = rs.getString(2);
                p.labelEn = rs.getString(3);
                p.labelFr = rs.getString(4);
                types.put(p.id, p);
            }
        }
        Map<Integer, List<ProblemType>> byService = new HashMap<>();
        try (ResultSet rs = st.executeQuery("select service_id, problem_type_id from service_problem_types "
                + "order by service_id, position, slug")) {
            while (rs.next()) {
                byService.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(types.get(rs.getInt(2)));
            }
        }
        Map<Integer, List<String>> aliases = new HashMap<>();
        try (ResultSet rs = st.executeQuery("select service_id, alias from service_alias order by service_id, alias")) {
            while (rs.next()) {
                aliases.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        Map<String, Integer> retired = new HashMap<>();
        try (ResultSet rs = st.executeQuery("select slug, service_id from service_slug")) {
            while (rs.next()) {
                retired.put(rs.getString(1), rs.getInt(2));
            }
        }

        List<Service> visible = all.values().stream()
                .filter(s -> !hidden.get(s.id) && !mergedInto.containsKey(s.id)).toList();
        Map<Integer, Service> visibleById = visible.stream().collect(Collectors.toUnmodifiableMap(s -> s.id, Function.identity()));
        // an old slug redirects to the service its owner is now (following merges), if that one is visible
        Map<String, String> moved = new HashMap<>();
        Function<Integer, Service> finalService = id -> {
            Integer at = id;
            for (int hops = 0; mergedInto.containsKey(at) && hops < 100; hops++) {
                at = mergedInto.get(at);
            }
            return visibleById.get(at);
        };
        retired.forEach((slug, id) -> {
            Service to = finalService.apply(id);
            if (to != null) {
                moved.put(slug, to.slug);
            }
        });
        mergedInto.keySet().forEach(id -> {
            Service to = finalService.apply(id);
            if (to != null) {
                moved.put(all.get(id).slug, to.slug);
            }
        });
        Map<Integer, Integer> finalTargets = new HashMap<>();
        mergedInto.keySet().forEach(id -> {
            Service to = finalService.apply(id);
            if (to != null) {
                finalTargets.put(id, to.id);
            }
        });
        byService.keySet().retainAll(visibleById.keySet());
        byService.replaceAll((k, v) -> List.copyOf(v));
        List<Searchable> searchable = visible.stream().map(s -> new Searchable(s, SearchKey.of(s.name),
                aliases.getOrDefault(s.id, List.of()).stream().map(SearchKey::of).toList())).toList();
        return new Snapshot(version, visible,
                visible.stream().collect(Collectors.toUnmodifiableMap(s -> s.slug, Function.identity())),
                visibleById, List.copyOf(cats),
                cats.stream().collect(Collectors.toUnmodifiableMap(c -> c.slug, Function.identity())),
                Map.copyOf(types), Collections.unmodifiableMap(byService), Map.copyOf(moved), Map.copyOf(finalTargets),
                searchable);
    }
}
