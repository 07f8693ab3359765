package org.downwatch.report;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes that recognise "the same person" without keeping who they are: HMAC-SHA-256 of the
 * client address and User-Agent (and of the address network) under a key that changes every UTC day,
 * derived from one secret. The secret comes from {@code downwatch.report.secret}, else it is generated
 * once and kept in {@code app_setting} (shared by every instance). Raw addresses never leave memory.
 */
@Startup
@ApplicationScoped
public class ReporterKeys {

    static final String SETTING = "report.secret";
    /** 16 bytes of HMAC-SHA-256 (truncation as in RFC 2104): collisions stay out of reach, indexes small. */
    static final int HASH_BYTES = 16;

    private final byte[] secret;
    private final ConcurrentMap<LocalDate, byte[]> dailyKeys = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(ReporterKeys::newMac);
    private final ThreadLocal<LocalDate> macDay = new ThreadLocal<>();
    /** The MAC of {@link #networkBit}, under a key that does not change daily. */
    private final ThreadLocal<Mac> bitMacs;

    ReporterKeys(ReportConfig config, AgroalDataSource dataSource) {
        String s = config.secret().filter(v -> !v.isBlank()).orElseGet(() -> storedSecret(dataSource));
        this.secret = s.getBytes(StandardCharsets.UTF_8);
        byte[] bitKey = derive("purpose\0network-bit");
        this.bitMacs = ThreadLocal.withInitial(() -> {
            Mac mac = newMac();
            try {
                mac.init(new SecretKeySpec(bitKey, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return mac;
        });
    }

    /** The reporter's hash on {@code day}: address and User-Agent under that day's key. */
    byte[] reporter(LocalDate day, String address, String userAgent) {
        return hash(day, "reporter\0" + address + "\0" + (userAgent == null ? "" : userAgent));
    }

    /** The address network's hash on {@code day}. */
    byte[] network(LocalDate day, String network) {
        return hash(day, "network\0" + network);
    }

    /** The wide network's (IPv4 /24, IPv6 /48) hash on {@code day}: a key of its own in {@code report_network}. */
    byte[] wide(LocalDate day, String wideNetwork) {
        return hash(day, "wide\0" + wideNetwork);
    }

    /**
     * The wide network's bit (0 to 255) in the per-minute sketch of distinct networks: the same every day, so
     * that a window across midnight does not count one network twice. Eight bits of a keyed hash of a /24 or
     * /48: a bucket of some 65,000 /24s, nothing that tells a person.
     */
    int networkBit(String wideNetwork) {
        return bitMacs.get().doFinal(("bit\0" + wideNetwork).getBytes(StandardCharsets.UTF_8))[0] & 0xff;
    }

    /** A MAC under a key derived from the secret for {@code purpose} (form tokens...), not a daily one. */
    byte[] sign(String purpose, String message) {
        try {
            Mac mac = newMac();
            mac.init(new SecretKeySpec(derive("purpose\0" + purpose), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hash(LocalDate day, String message) {
        Mac mac = macs.get();
        try {
            if (!day.equals(macDay.get())) {
                mac.init(new SecretKeySpec(dailyKeys.computeIfAbsent(day, d -> derive("day\0" + d)), "HmacSHA256"));
                macDay.set(day);
            }
            return Arrays.copyOf(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)), HASH_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] derive(String label) {
        try {
            Mac mac = newMac();
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The generated secret, created by the first instance that needs it (others read the same row). */
    private static String storedSecret(AgroalDataSource dataSource) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into app_setting (key, value) values (?, ?) on conflict (key) do nothing")) {
                insert.setString(1, SETTING);
                insert.setString(2, Base64.getEncoder().encodeToString(fresh));
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("select value from app_setting where key = ?")) {
                select.setString(1, SETTING);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read or create the reporting secret in app_setting", e);
        }
    }
}
