package org.downwatch.catalog;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ProblemTypeRepository implements PanacheRepositoryBase<ProblemType, Integer> {

    /** The problem types a person can pick for a service, the service's own first. */
    @SuppressWarnings("unchecked")
    public List<ProblemType> forService(int serviceId) {
        return getEntityManager().createNativeQuery(
                "select pt.* from problem_type pt join service_problem_types v on v.problem_type_id = pt.id "
                        + "where v.service_id = :service order by v.position, pt.slug", ProblemType.class)
                .setParameter("service", serviceId)
                .getResultList();
    }

    /** Every (service id, problem type id, position) pair, for the in-memory {@link Catalog}. */
    @SuppressWarnings("unchecked")
    List<Object[]> allServiceProblemTypes() {
        return getEntityManager().createNativeQuery(
                "select service_id, problem_type_id from service_problem_types order by service_id, position, slug")
                .getResultList();
    }
}
