package org.downwatch.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** Something people depend on and report problems with: La Poste, Orange, Netflix... */
@Entity
@Table(name = "service")
public class Service {

    @Id
    @Column(name = "id")
    public Integer id;

    @Column(name = "slug", nullable = false, unique = true)
    public String slug;

    @Column(name = "name", nullable = false)
    public String name;

    /** The category's slug. */
    @Column(name = "category", nullable = false)
    public String category;

    /** ISO 3166-1 alpha-2 country where the service is national; null when it is worldwide. */
    @Column(name = "country")
    public String country;

    @Column(name = "website_url")
    public String websiteUrl;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    /** A service added less than this long ago has little history: its page says so (the detector's young span). */
    static final Duration RECENT = Duration.ofHours(72);

    /** Lower-case, accent-free name, maintained by the database (see {@link SearchKey}). */
    @Column(name = "search_key", insertable = false, updatable = false)
    public String searchKey;

    /** Whether the service was added recently and has little history yet. */
    public boolean recent() {
        return createdAt != null && createdAt.isAfter(Instant.now().minus(RECENT));
    }
}
