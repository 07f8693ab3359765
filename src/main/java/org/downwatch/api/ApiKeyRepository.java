package org.downwatch.api;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
class ApiKeyRepository implements PanacheRepository<ApiKey> {

    /** The key with this hash, unless it was revoked. */
    Optional<ApiKey> findActive(byte[] keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional();
    }
}
