package org.downwatch.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.EntityTag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.downwatch.catalog.Catalog;
import org.downwatch.detect.MinuteEvaluated;
import org.downwatch.report.ReportFormToken;
import org.downwatch.shared.HttpCache;

/**
 * The pages of the last evaluated minute, rendered once per variant (page, language, range, size) and
 * kept as plain and gzip bytes, so that a crowd on one service page costs no query and no rendering.
 * <p>
 * The version is the minute the detectors last stood at ({@link MinuteEvaluated}, fired on the leader
 * and on the followers) with the catalog's version: every instance renders a version as of the same
 * instant with the same form token (that of the minute's window), so they serve the same bytes under
 * the same {@code ETag}, which is derived from the version and the variant and needs no rendering. The next version makes the previous
 * entries unreachable; the cache is bounded by bytes. Before the first evaluated minute (detection off
 * or still warming up) nothing is cached and pages are rendered per request as before.
 */
@ApplicationScoped
public class PageCache {

    /** What every page of a version is rendered with. */
    public record Version(long minute, Instant window, String token, long catalog) {

        /** The instant pages of this version are rendered at: the end of the evaluated minute. */
        public Instant now() {
            return Instant.ofEpochSecond((minute + 1) * 60);
        }

        String tag() {
            return Long.toString(minute, 36) + "." + Long.toString(catalog, 36);
        }
    }

    /** A page rendered once: its bytes, plain and gzipped, and its tag. */
    public record Rendered(byte[] plain, byte[] gzip, EntityTag etag) {
    }

    private record Key(String variant, Version version) {
    }

    /** A version this much older than the clock is not served. */
    static final Duration STALE = Duration.ofMinutes(10);

    private final ReportFormToken tokens;
    private final Catalog catalog;
    private final Cache<Key, Rendered> cache;
    private volatile Version current;

    PageCache(ReportFormToken tokens, Catalog catalog, WebConfig config) {
        this.tokens = tokens;
        this.catalog = catalog;
        this.cache = Caffeine.newBuilder().maximumWeight(config.pageCacheBytes())
                .weigher((Key k, Rendered r) -> r.plain.length + r.gzip.length + 2 * k.variant.length() + 200)
                .build();
    }

    void onMinute(@Observes MinuteEvaluated evaluated) {
        long m = evaluated.minute();
        Version v = current;
        if (v == null || m > v.minute) {
            // the token's window follows the version, so that every instance puts the same token in the page
            Instant window = ReportFormToken.window(Instant.ofEpochSecond((m + 1) * 60));
            current = new Version(m, window, tokens.issueForWindow(window), catalog.version());
            // the previous version's pages are never asked for again
            cache.asMap().keySet().removeIf(k -> k.version.minute < m);
        }
    }

    /**
     * The version pages are served at, or null while no minute was evaluated, or none lately (detection
     * stalled): pages are then rendered per request, as fresh as the database.
     */
    public Version version() {
        Version v = current;
        if (v == null || v.now().isBefore(Instant.now().minus(STALE))) {
            return null;
        }
        long c = catalog.version();
        if (c != v.catalog) {
            // an edit of the catalog (names, problem types, merges) shows without waiting for the next minute
            v = new Version(v.minute, v.window, v.token, c);
            current = v;
            cache.invalidateAll();
        }
        return v;
    }

    /** The tag of a variant at a version, known without rendering it. */
    public EntityTag etag(String variant, Version version) {
        return new EntityTag(version.tag() + "-" + HttpCache.etag(variant).getValue().substring(0, 12));
    }

    /** The variant at the version, rendered by {@code render} on the first request only (one render at a time per variant). */
    public Rendered get(String variant, Version version, Supplier<String> render) {
        return cache.get(new Key(variant, version), k -> {
            byte[] plain = render.get().getBytes(StandardCharsets.UTF_8);
            return new Rendered(plain, gzip(plain), etag(variant, version));
        });
    }

    /** Bytes held now (plain and gzip, with the keys). */
    public long weight() {
        cache.cleanUp();
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** For tests: forgets the version and everything cached, as before the first evaluated minute. */
    public void reset() {
        current = null;
        cache.invalidateAll();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
