package org.downwatch.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What can go wrong with a service ("parcel tracking", "login"...): an indicator. */
@Entity
@Table(name = "problem_type")
public class ProblemType {

    @Id
    @Column(name = "id")
    public Integer id;

    @Column(name = "slug", nullable = false, unique = true)
    public String slug;

    @Column(name = "label_en", nullable = false)
    public String labelEn;

    @Column(name = "label_fr", nullable = false)
    public String labelFr;

    /** The label in {@code lang} ("fr" or "en"; English otherwise). */
    public String label(String lang) {
        return "fr".equals(lang) ? labelFr : labelEn;
    }
}
