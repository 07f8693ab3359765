package org.downwatch.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Plain SQL for the catalog tests: what another instance, or the detector and the report feature, would write. */
@ApplicationScoped
public class CatalogTestData {

    private final EntityManager em;

    CatalogTestData(EntityManager em) {
        this.em = em;
    }

    /** Runs one statement in its own transaction and bumps the catalog's version, as a change elsewhere would. */
    @Transactional
    public void execute(String sql) {
        em.createNativeQuery(sql).executeUpdate();
        em.createNativeQuery("update catalog_version set version = version + 1").executeUpdate();
    }

    @Transactional
    public long number(String sql) {
        Object v = em.createNativeQuery(sql).getSingleResult();
        return v == null ? 0 : ((Number) v).longValue();
    }
}
