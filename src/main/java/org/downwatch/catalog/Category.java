package org.downwatch.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A family of services (banks, telecom...) sharing the same problem types. */
@Entity
@Table(name = "category")
public class Category {

    @Id
    @Column(name = "slug")
    public String slug;

    @Column(name = "name_en", nullable = false)
    public String nameEn;

    @Column(name = "name_fr", nullable = false)
    public String nameFr;

    @Column(name = "position", nullable = false)
    public int position;

    /** The name in {@code lang} ("fr" or "en"; English otherwise). */
    public String name(String lang) {
        return "fr".equals(lang) ? nameFr : nameEn;
    }
}
