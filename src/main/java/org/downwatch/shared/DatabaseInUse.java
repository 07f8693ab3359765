package org.downwatch.shared;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Says in the log which database this instance uses (never the password). */
@ApplicationScoped
class DatabaseInUse {

    private static final Logger LOG = Logger.getLogger(DatabaseInUse.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            LocalDatabaseConfig config) {
        String safeUrl = url.replaceAll("(?i)(password=)[^&]*", "$1***");
        LOG.infof("Database: %s%s", safeUrl, config.localDatabase().description().map(d -> " (" + d + ")").orElse(""));
    }
}
