package org.downwatch.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ServiceRepository implements PanacheRepositoryBase<Service, Integer> {

    public Optional<Service> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    public List<Service> listByName() {
        return listAll(Sort.by("name"));
    }

    public List<Service> listByCategory(String category) {
        return list("category", Sort.by("name"), category);
    }
}
