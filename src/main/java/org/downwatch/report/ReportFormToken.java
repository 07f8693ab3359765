package org.downwatch.report;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Anti-forgery token for the report form on service pages: the page puts {@link #issue()} in a hidden
 * field named {@code _csrf}; the form handler checks it with {@link #verify(String)}.
 * <p>
 * The token is the time it was issued, signed with a key derived from the reporting secret, valid for
 * {@code downwatch.report.form-token-validity}. It is not bound to a session (there is none): a site
 * could fetch one server-side, which is why the handler also rejects cross-site posts by their
 * {@code Origin} and {@code Sec-Fetch-Site} headers. Together they stop a page elsewhere from making its
 * visitors' browsers file reports.
 */
@ApplicationScoped
public class ReportFormToken {

    public static final String FIELD = "_csrf";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

    private final ReporterKeys keys;
    private final ReportClock clock;
    private final Duration validity;

    ReportFormToken(ReporterKeys keys, ReportClock clock, ReportConfig config) {
        this.keys = keys;
        this.clock = clock;
        this.validity = config.formTokenValidity();
    }

    /** Pages are shared (CDN, the page cache): everyone gets the token of the same window, not their own. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    /** A fresh token to embed in the form. */
    public String issue() {
        return issue(clock.now());
    }

    /** The token of the window holding {@code at}: the same for every visitor and every instance. */
    public String issueForWindow(Instant at) {
        return issue(window(at));
    }

    /** The start of the window holding {@code at}. */
    public static Instant window(Instant at) {
        long w = WINDOW.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), w) * w);
    }

    String issue(Instant at) {
        byte[] time = ByteBuffer.allocate(8).putLong(at.getEpochSecond()).array();
        return ENC.encodeToString(time) + "." + ENC.encodeToString(mac(time));
    }

    /** True when the token was issued by us and is still valid. */
    public boolean verify(String token) {
        if (token == null || token.length() > 200) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return false;
        }
        try {
            byte[] time = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (time.length != 8 || !MessageDigest.isEqual(sig, mac(time))) {
                return false;
            }
            Instant issued = Instant.ofEpochSecond(ByteBuffer.wrap(time).getLong());
            Instant now = clock.now();
            return !issued.isAfter(now.plus(CLOCK_SKEW)) && !issued.plus(validity).isBefore(now);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] mac(byte[] time) {
        return Arrays.copyOf(keys.sign("report-form", Base64.getEncoder().encodeToString(time)), 16);
    }
}
