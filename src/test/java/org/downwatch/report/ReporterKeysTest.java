package org.downwatch.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Without a configured secret: random daily keys in the database, deleted after the window; no stored secret. */
@QuarkusTest
class ReporterKeysTest {

    @Inject
    ReporterKeys keys;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void hashesUnderARandomKeyOfTheDayKeptInTheDatabase() throws Exception {
        LocalDate day = LocalDate.of(2001, 3, 4);
        byte[] hash = keys.reporter(day, "192.0.2.1", "test/keys");
        byte[] key = storedKey(day);
        assertNotNull(key, "the day's key is in reporter_key");
        assertEquals(32, key.length);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(Arrays.copyOf(mac.doFinal(("reporter\u0000" + "192.0.2.1" + "\u0000" + "test/keys").getBytes(StandardCharsets.UTF_8)), 16), hash,
                "the hash is keyed by the stored random key, nothing else");
        assertArrayEquals(hash, keys.reporter(day, "192.0.2.1", "test/keys"), "the same person the same day");
        assertFalse(Arrays.equals(hash, keys.reporter(day.plusDays(1), "192.0.2.1", "test/keys")), "another day, another key");
        assertFalse(Arrays.equals(storedKey(day), storedKey(day.plusDays(1))));
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "select count(*) from app_setting where key = 'report.secret'"); ResultSet rs = st.executeQuery()) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no long-lived secret of the hashes beside the data");
        }
    }

    @Test
    void deletesADaysKeyOnceTheWindowAfterItHasPassed() throws Exception {
        LocalDate day = LocalDate.of(2000, 1, 1);
        byte[] before = keys.reporter(day, "192.0.2.2", "test/keys");
        // the window is 30 minutes: the key of January 1st is needed until January 2nd, 00:30
        keys.forgetOldKeys(Instant.parse("2000-01-02T00:29:59Z"));
        assertNotNull(storedKey(day), "still within the window after the day");
        assertArrayEquals(before, keys.reporter(day, "192.0.2.2", "test/keys"));
        assertTrue(keys.forgetOldKeys(Instant.parse("2000-01-02T00:30:00Z")) >= 1);
        assertNull(storedKey(day), "the key is gone: the day's hashes can no longer be recomputed");
        assertFalse(Arrays.equals(before, keys.reporter(day, "192.0.2.2", "test/keys")),
                "a hash made now for that day is under a new key");
    }

    private byte[] storedKey(LocalDate day) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("select key from reporter_key where day = ?")) {
            st.setObject(1, day);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
