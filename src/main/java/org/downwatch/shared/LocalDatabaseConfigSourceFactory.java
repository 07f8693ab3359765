package org.downwatch.shared;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In dev and test ({@code downwatch.local-database.enabled=true}), resolves the datasource before
 * Quarkus opens it: creates a missing database, or falls back to an embedded PostgreSQL.
 * Elsewhere (production), checks that the configured database can be used, and stops otherwise.
 */
public class LocalDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    private static volatile Map<String, LocalDatabase.Prepared> prepared = Map.of();

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String url = value(context, URL);
        if (url == null) {
            return List.of();
        }
        if (!"true".equalsIgnoreCase(value(context, LocalDatabaseConfig.LOCAL_ENABLED))) {
            if (DatabaseCheck.isPackagedRuntime() && !"false".equals(value(context, LocalDatabaseConfig.CHECK_ENABLED))) {
                DatabaseCheck.requireUsable(url, value(context, USERNAME), value(context, PASSWORD));
            }
            return List.of();
        }
        LocalDatabase.Prepared p = resolve(url, value(context, USERNAME), value(context, PASSWORD));
        return List.of(new PropertiesConfigSource(Map.of(URL, p.jdbcUrl(), USERNAME, p.username(),
                PASSWORD, p.password(), LocalDatabaseConfig.LOCAL_DESCRIPTION, p.description()),
                "downwatch-local-database", 500));
    }

    private static synchronized LocalDatabase.Prepared resolve(String url, String user, String password) {
        LocalDatabase.Prepared p = prepared.get(url);
        if (p == null) {
            p = LocalDatabase.prepare(url, user == null ? "postgres" : user, password == null ? "" : password);
            prepared = Map.of(url, p);
        }
        return p;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null ? null : v.getValue();
    }
}
