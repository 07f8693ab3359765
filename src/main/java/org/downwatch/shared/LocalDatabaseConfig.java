package org.downwatch.shared;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The database fallbacks and checks ({@code downwatch.local-database.*}, {@code downwatch.database-check.*}).
 * {@link LocalDatabaseConfigSourceFactory} reads the same keys before any mapping exists, with the same
 * defaults (off, resp. on).
 */
@ConfigMapping(prefix = "downwatch")
public interface LocalDatabaseConfig {

    String LOCAL_ENABLED = "downwatch.local-database.enabled";
    String LOCAL_DESCRIPTION = "downwatch.local-database.description";
    String CHECK_ENABLED = "downwatch.database-check.enabled";

    LocalDatabase localDatabase();

    DatabaseCheck databaseCheck();

    interface LocalDatabase {

        /** Create a missing database, or start an embedded PostgreSQL when none answers (dev and test only). */
        @WithDefault("false")
        boolean enabled();

        /** Which database the fallbacks chose, for the log; set by the fallbacks themselves. */
        Optional<String> description();
    }

    interface DatabaseCheck {

        /** A packaged application stops at start when its database cannot be used. */
        @WithDefault("true")
        boolean enabled();
    }
}
