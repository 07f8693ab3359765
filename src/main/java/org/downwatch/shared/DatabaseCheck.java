package org.downwatch.shared;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Production never falls back to another database: when the configured PostgreSQL cannot be used,
 * the application stops at once with a message that says what to set.
 */
final class DatabaseCheck {

    static final String HOW_TO_FIX = "Set QUARKUS_DATASOURCE_JDBC_URL (e.g. jdbc:postgresql://db.example:5432/downwatch), "
            + "QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD.";

    private DatabaseCheck() {
    }

    static void requireUsable(String url, String username, String password) {
        try (Connection c = LocalDatabase.connect(url, username, password)) {
            // reachable and the credentials work
        } catch (SQLException | RuntimeException e) {
            String where = url;
            try {
                LocalDatabase.Target t = LocalDatabase.Target.parse(url);
                where = t.hostPort() + "/" + t.database();
            } catch (IllegalArgumentException ignored) {
                // keep the raw value: it is what the operator set
            }
            throw new IllegalStateException("Downwatch cannot use its PostgreSQL database at " + where + " ("
                    + e.getMessage() + "). " + HOW_TO_FIX, e);
        }
    }

    /** True in a packaged application at run time; false while Quarkus builds or tests the application. */
    static boolean isPackagedRuntime() {
        try {
            Class.forName("io.quarkus.deployment.QuarkusAugmentor", false, DatabaseCheck.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }
}
