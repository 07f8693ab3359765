package org.downwatch.report;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Keyed hashes that recognise "the same person" without keeping who they are: HMAC-SHA-256 of the
 * client address and User-Agent (and of the address network) under a key that changes every UTC day.
 * Raw addresses never leave memory.
 * <p>
 * Where the daily keys come from:
 * <ul>
 * <li>by default, <b>random keys</b>, one per UTC day, in {@code reporter_key} (the first instance that needs
 * a day's key creates it, the others read the same row), and <b>deleted</b> once the de-duplication window
 * after that day has passed ({@link #forgetOldKeys}). A database dump then links nothing older than the
 * window: the hashes of older reports are forgotten ({@link ReportNetworkCleanup}) and the keys that made
 * them are gone. Today's and tomorrow's keys are loaded ahead (at start and every 5 minutes), so that the
 * report path, on I/O threads, does not wait for the database; tomorrow's is needed before midnight,
 * where a report also carries tomorrow's hashes so that the rotation opens no gap in the window.</li>
 * <li>with {@code downwatch.report.secret} ({@code DOWNWATCH_REPORT_SECRET}) set, keys derived from it
 * (HMAC of the day), nothing stored: the operator keeps the secret away from the database.</li>
 * </ul>
 * The report form's tokens are signed with a key of their own ({@code app_setting 'report.form-secret'},
 * or derived from the configured secret): it links no one.
 */
@Startup
@ApplicationScoped
public class ReporterKeys {

    private static final Logger LOG = Logger.getLogger(ReporterKeys.class);
    static final String FORM_SETTING = "report.form-secret";
    /** 16 bytes of HMAC-SHA-256 (truncation as in RFC 2104): collisions stay out of reach, indexes small. */
    static final int HASH_BYTES = 16;
    static final int KEY_BYTES = 32;

    private final AgroalDataSource dataSource;
    private final ReportClock clock;
    private final Duration window;
    /** The configured secret, or null: random daily keys. */
    private final byte[] secret;
    private final byte[] formSecret;
    private final ConcurrentMap<LocalDate, byte[]> dailyKeys = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(ReporterKeys::newMac);
    private final ThreadLocal<byte[]> macKey = new ThreadLocal<>();
    private final SecureRandom random = new SecureRandom();
    /** The MAC of {@link #networkBit}, under a key that does not change daily. */
    private final ThreadLocal<Mac> bitMacs;

    ReporterKeys(ReportConfig config, AgroalDataSource dataSource, ReportClock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.window = config.window();
        Optional<String> configured = config.secret().filter(v -> !v.isBlank());
        this.secret = configured.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.formSecret = secret != null ? secret : storedFormSecret(dataSource, random);
        LOG.infof("Reporter hashes: %s", secret != null ? "daily keys derived from downwatch.report.secret"
                : "random daily keys, deleted " + window + " after their day");
        byte[] bitKey = hmac(formSecret, "purpose\0network-bit");
        this.bitMacs = ThreadLocal.withInitial(() -> {
            Mac mac = newMac();
            try {
                mac.init(new SecretKeySpec(bitKey, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return mac;
        });
        loadAhead();
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

    /**
     * The reporter's hash for "it works for me" signals: another name than {@link #reporter}, so that saying
     * the service works and reporting a problem are de-duplicated apart (one of each per person per window).
     */
    byte[] worksReporter(LocalDate day, String address, String userAgent) {
        return hash(day, "works-reporter\0" + address + "\0" + (userAgent == null ? "" : userAgent));
    }

    /** The address network's hash for "it works for me" signals: their own de-duplication rows. */
    byte[] worksNetwork(LocalDate day, String network) {
        return hash(day, "works-network\0" + network);
    }

    /** The wide network's hash for "it works for me" signals: a cap of their own, apart from the reports'. */
    byte[] worksWide(LocalDate day, String wideNetwork) {
        return hash(day, "works-wide\0" + wideNetwork);
    }

    /** A MAC under a key derived from the form secret for {@code purpose} (form tokens...), not a daily one. */
    byte[] sign(String purpose, String message) {
        try {
            Mac mac = newMac();
            mac.init(new SecretKeySpec(hmac(formSecret, "purpose\0" + purpose), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Today's and tomorrow's keys in memory (and in the database), the expired ones forgotten. */
    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            loadAhead();
            // a clock moved ahead (tests cross midnight with it) must not delete the keys of the real today
            Instant now = clock.now();
            Instant real = Instant.now();
            forgetOldKeys(now.isBefore(real) ? now : real);
        } catch (RuntimeException e) {
            // the report path loads a missing key itself; the next run retries the clean-up
            LOG.warnf("Reporter keys not refreshed: %s", e.getMessage());
        }
    }

    private void loadAhead() {
        LocalDate today = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
        key(today);
        key(today.plusDays(1));
    }

    /**
     * Deletes the keys of the days whose de-duplication window has passed at {@code now}: the key of day D
     * is gone from {@code D + 1 day + window} on. Returns how many rows were deleted.
     */
    int forgetOldKeys(Instant now) {
        LocalDate oldestKept = LocalDate.ofInstant(now.minus(window), ZoneOffset.UTC);
        dailyKeys.keySet().removeIf(d -> d.isBefore(oldestKept));
        if (secret != null) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("delete from reporter_key where day < ?")) {
            st.setObject(1, oldestKept);
            int n = st.executeUpdate();
            if (n > 0) {
                LOG.debugf("Reporter keys: %d expired daily keys deleted", n);
            }
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot delete expired reporter keys: " + e.getMessage(), e);
        }
    }

    private byte[] hash(LocalDate day, String message) {
        Mac mac = macs.get();
        byte[] key = key(day);
        try {
            if (macKey.get() != key) { // by identity: a deleted and re-created day's key is a new array
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                macKey.set(key);
            }
            return Arrays.copyOf(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)), HASH_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The day's key: from memory, else derived from the secret or read (created first if missing) from the database. */
    private byte[] key(LocalDate day) {
        byte[] k = dailyKeys.get(day);
        if (k != null) {
            return k;
        }
        k = secret != null ? hmac(secret, "day\0" + day) : storedKey(day);
        byte[] known = dailyKeys.putIfAbsent(day, k);
        return known != null ? known : k;
    }

    private byte[] storedKey(LocalDate day) {
        byte[] fresh = new byte[KEY_BYTES];
        random.nextBytes(fresh);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into reporter_key (day, key) values (?, ?) on conflict (day) do nothing")) {
                insert.setObject(1, day);
                insert.setBytes(2, fresh);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("select key from reporter_key where day = ?")) {
                select.setObject(1, day);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read or create the reporter key of " + day + ": " + e.getMessage(), e);
        }
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = newMac();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
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

    /** The form tokens' key, created by the first instance that needs it (others read the same row). */
    private static byte[] storedFormSecret(AgroalDataSource dataSource, SecureRandom random) {
        byte[] fresh = new byte[KEY_BYTES];
        random.nextBytes(fresh);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into app_setting (key, value) values (?, ?) on conflict (key) do nothing")) {
                insert.setString(1, FORM_SETTING);
                insert.setString(2, Base64.getEncoder().encodeToString(fresh));
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("select value from app_setting where key = ?")) {
                select.setString(1, FORM_SETTING);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return Base64.getDecoder().decode(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read or create the form tokens' key in app_setting", e);
        }
    }
}
