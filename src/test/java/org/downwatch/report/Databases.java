package org.downwatch.report;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Takes the tests' database away from the application for real, from the server's side. */
final class Databases {

    private Databases() {
    }

    static String name(String jdbcUrl) {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        String db = rest.substring(rest.indexOf('/') + 1);
        int q = db.indexOf('?');
        return q < 0 ? db : db.substring(0, q);
    }

    static Connection admin(String jdbcUrl) throws SQLException {
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        return DriverManager.getConnection("jdbc:postgresql://" + rest.substring(0, rest.indexOf('/')) + "/postgres", "postgres", "");
    }

    /** New connections are refused and the open ones are closed by the server. */
    static void cutOff(String jdbcUrl) throws SQLException {
        String db = name(jdbcUrl);
        try (Connection c = admin(jdbcUrl); Statement st = c.createStatement()) {
            st.execute("alter database \"" + db + "\" with allow_connections false");
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + db + "' and pid <> pg_backend_pid()");
        }
    }

    static void restore(String jdbcUrl) throws SQLException {
        try (Connection c = admin(jdbcUrl); Statement st = c.createStatement()) {
            st.execute("alter database \"" + name(jdbcUrl) + "\" with allow_connections true");
        }
    }
}
