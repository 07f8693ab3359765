package org.downwatch.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the local fallbacks behind the README's two commands. */
class LocalDatabaseTest {

    @Test
    void parsesJdbcUrls() {
        LocalDatabase.Target t = LocalDatabase.Target.parse("jdbc:postgresql://db.example:6543/downwatch?sslmode=require");
        assertEquals("db.example", t.host());
        assertEquals(6543, t.port());
        assertEquals("downwatch", t.database());
        assertEquals("jdbc:postgresql://db.example:6543/postgres?sslmode=require", t.withDatabase("postgres"));
        assertEquals(5432, LocalDatabase.Target.parse("jdbc:postgresql://localhost/x").port());
        assertThrows(IllegalArgumentException.class, () -> LocalDatabase.Target.parse("jdbc:mysql://h/x"));
    }

    @Test
    void fallsBackToAnEmbeddedPostgresWhenNoServerAnswers() throws Exception {
        // port 1 on loopback: nothing listens there
        LocalDatabase.Prepared p = LocalDatabase.prepare("jdbc:postgresql://127.0.0.1:1/downwatch_embedded", "postgres", "");
        assertTrue(p.description().startsWith("embedded PostgreSQL"), p.description());
        try (Connection c = LocalDatabase.connect(p.jdbcUrl(), p.username(), p.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select current_database(), current_setting('server_version_num')::int")) {
            rs.next();
            assertEquals("downwatch_embedded", rs.getString(1));
            assertTrue(rs.getInt(2) >= 150000 && rs.getInt(2) < 160000, "PostgreSQL 15.x");
        }
        // another database, and another copy of this class (dev mode and tests load it in more than one
        // class loader) through the JVM-wide property: the same server, not a second one
        String port = System.getProperty(LocalDatabase.EMBEDDED_PORT);
        assertEquals("embedded PostgreSQL on port " + port, p.description());
        LocalDatabase.Prepared other = LocalDatabase.prepare("jdbc:postgresql://127.0.0.1:1/downwatch_embedded_other", "postgres", "");
        assertEquals(p.description(), other.description());
    }

    @Test
    void productionCheckNamesTheVariablesToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DatabaseCheck.requireUsable("jdbc:postgresql://127.0.0.1:1/downwatch", "postgres", ""));
        assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_JDBC_URL"), e.getMessage());
        assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_USERNAME"), e.getMessage());
    }
}
