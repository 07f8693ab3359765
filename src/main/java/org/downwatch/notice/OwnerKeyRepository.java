package org.downwatch.notice;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
class OwnerKeyRepository implements PanacheRepository<OwnerKey> {

    Optional<OwnerKey> findActive(byte[] keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional();
    }
}
