package org.downwatch.shared;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * Makes the configured database usable on a developer's or CI machine, in dev and test only:
 * creates the database when the server answers but the database is missing, and starts an
 * embedded PostgreSQL (real binaries from Maven Central) when no server answers at all.
 * Production never comes here: it fails fast instead (see {@link DatabaseCheck}).
 */
public final class LocalDatabase {

    private static final Logger LOG = Logger.getLogger(LocalDatabase.class);
    /** Outside the {@code downwatch.} prefix: SmallRye Config refuses an unknown key under a mapped prefix (SRCFG00050). */
    static final String EMBEDDED_PORT = "org.downwatch.embedded-postgres.port";

    /** What {@link #prepare} decided, for the log line at start-up. */
    public record Prepared(String jdbcUrl, String username, String password, String description) {
    }

    private LocalDatabase() {
    }

    /**
     * Returns connection settings that work: the configured ones, after creating the database if
     * needed, or an embedded PostgreSQL's when the configured server cannot be reached.
     */
    public static synchronized Prepared prepare(String jdbcUrl, String username, String password) {
        Target target = Target.parse(jdbcUrl);
        try (Connection c = connect(jdbcUrl, username, password)) {
            return new Prepared(jdbcUrl, username, password, "PostgreSQL at " + target.hostPort());
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) { // invalid_catalog_name: the server is there, the database is not
                createDatabase(target.withDatabase("postgres"), username, password, target.database());
                return new Prepared(jdbcUrl, username, password,
                        "PostgreSQL at " + target.hostPort() + " (database " + target.database() + " created)");
            }
            if (!isUnreachable(e)) {
                throw new IllegalStateException("Cannot use the database at " + target.hostPort() + ": "
                        + e.getMessage(), e);
            }
        }
        LOG.infof("No PostgreSQL answers at %s: using an embedded PostgreSQL", target.hostPort());
        int port = embeddedPort();
        String adminUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
        Target embeddedTarget = Target.parse(adminUrl);
        try (Connection c = connect(embeddedTarget.withDatabase(target.database()), "postgres", "")) {
            // already there (a previous start in this JVM)
        } catch (SQLException e) {
            createDatabase(adminUrl, "postgres", "", target.database());
        }
        return new Prepared(embeddedTarget.withDatabase(target.database()), "postgres", "",
                "embedded PostgreSQL on port " + port);
    }

    /**
     * The port of this JVM's one embedded PostgreSQL, started on first use. Dev mode and the tests
     * resolve the configuration from more than one class loader, each with its own copy of this
     * class: the port is kept in a system property, which they share, so that all use one server.
     */
    private static int embeddedPort() {
        String known = System.getProperty(EMBEDDED_PORT);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, LocalDatabase.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // a packaged application: embedded-postgres is a provided dependency (dev and tests only)
            throw new IllegalStateException("No PostgreSQL answers, and this build has no embedded one (it is for "
                    + "./mvnw quarkus:dev and the tests only): start PostgreSQL or set QUARKUS_DATASOURCE_JDBC_URL");
        }
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start an embedded PostgreSQL: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // the JVM is going away
            }
        }, "embedded-postgres-stop"));
        System.setProperty(EMBEDDED_PORT, Integer.toString(pg.getPort()));
        return pg.getPort();
    }

    static Connection connect(String url, String username, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", username == null ? "" : username);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(url, props);
    }

    static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("08001") || state.equals("08004") || state.equals("08006"));
    }

    private static void createDatabase(String adminUrl, String username, String password, String database) {
        try (Connection c = connect(adminUrl, username, password); Statement st = c.createStatement()) {
            st.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
            LOG.infof("Created database %s", database);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: created meanwhile, fine
                throw new IllegalStateException("Could not create database " + database + ": " + e.getMessage(), e);
            }
        }
    }

    /** The parts of a {@code jdbc:postgresql://host:port/database?params} URL that matter here. */
    record Target(String host, int port, String database, String query) {

        static Target parse(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            return new Target(uri.getHost() == null ? "localhost" : uri.getHost(),
                    uri.getPort() < 0 ? 5432 : uri.getPort(), db, uri.getRawQuery());
        }

        String hostPort() {
            return host + ":" + port;
        }

        String withDatabase(String other) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + other + (query == null ? "" : "?" + query);
        }
    }
}
