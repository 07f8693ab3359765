package org.downwatch.catalog;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.downwatch.shared.ProblemException;

/**
 * The catalog held in memory: services, categories and problem types change only with a migration,
 * while every report, page and API call needs them. Loaded on first use, reloaded every few minutes.
 * The entities it hands out are detached and must be treated as read-only.
 */
@ApplicationScoped
public class Catalog {

    private final ServiceRepository services;
    private final CategoryRepository categories;
    private final ProblemTypeRepository problemTypes;
    private volatile Snapshot snapshot;

    Catalog(ServiceRepository services, CategoryRepository categories, ProblemTypeRepository problemTypes) {
        this.services = services;
        this.categories = categories;
        this.problemTypes = problemTypes;
    }

    private record Snapshot(List<Service> services, Map<String, Service> bySlug, Map<Integer, Service> byId,
            List<Category> categories, Map<String, Category> categoryBySlug, Map<Integer, ProblemType> typeById,
            Map<Integer, List<ProblemType>> typesByService) {
    }

    /** All services, by name. */
    public List<Service> services() {
        return snapshot().services;
    }

    public Optional<Service> service(String slug) {
        return slug == null ? Optional.empty() : Optional.ofNullable(snapshot().bySlug.get(slug));
    }

    /** The service, or the 404 that every page and endpoint naming an unknown service answers. */
    public Service require(String slug) {
        return service(slug).orElseThrow(() -> ProblemException.notFound("No service has the slug " + slug));
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

    /** Services whose name or slug contains the query, ignoring case and accents; best matches first. */
    public List<Service> search(String query) {
        String q = SearchKey.of(query);
        if (q.isEmpty()) {
            return services();
        }
        List<Service> found = new ArrayList<>();
        for (Service s : services()) {
            String key = SearchKey.of(s.name);
            if (key.contains(q) || s.slug.contains(q.replace(' ', '-'))) {
                found.add(s);
            }
        }
        found.sort((a, b) -> Boolean.compare(!SearchKey.of(a.name).startsWith(q), !SearchKey.of(b.name).startsWith(q)));
        return found;
    }

    @Scheduled(every = "5m", delayed = "5m")
    void reload() {
        snapshot = load();
    }

    private Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s == null) {
            synchronized (this) {
                if (snapshot == null) {
                    snapshot = load();
                }
                s = snapshot;
            }
        }
        return s;
    }

    @Transactional
    Snapshot load() {
        List<Service> all = List.copyOf(services.listByName());
        List<Category> cats = List.copyOf(categories.listInOrder());
        Map<Integer, ProblemType> types = problemTypes.listAll().stream()
                .collect(Collectors.toUnmodifiableMap(p -> p.id, Function.identity()));
        Map<Integer, List<ProblemType>> byService = new LinkedHashMap<>();
        for (Object[] row : problemTypes.allServiceProblemTypes()) {
            int serviceId = ((Number) row[0]).intValue();
            byService.computeIfAbsent(serviceId, k -> new ArrayList<>()).add(types.get(((Number) row[1]).intValue()));
        }
        byService.replaceAll((k, v) -> List.copyOf(v));
        return new Snapshot(all,
                all.stream().collect(Collectors.toUnmodifiableMap(s -> s.slug, Function.identity())),
                all.stream().collect(Collectors.toUnmodifiableMap(s -> s.id, Function.identity())),
                cats, cats.stream().collect(Collectors.toUnmodifiableMap(c -> c.slug, Function.identity())),
                types, Collections.unmodifiableMap(byService));
    }
}
