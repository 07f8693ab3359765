package org.downwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers webhook events. Each run first fans the outbox out (each new event becomes one delivery per
 * matching subscription, in one transaction with marking the event done), then attempts the due deliveries.
 * Rows are claimed with {@code FOR UPDATE SKIP LOCKED} and leased by pushing their next attempt past the
 * attempt's timeout, so that several workers (instances) share the work without sending one attempt twice,
 * and an attempt cut short by a crash is made again after the lease: at least once.
 * Runs on its own thread: it never holds up reporting or detection.
 */
class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);

    /** The worker's settings (a copy of {@link WebhookConfig}, so that tests can run workers with their own). */
    record Settings(boolean allowPrivateTargets, Duration pollInterval, int batchSize, Duration timeout, Duration retryFor,
            Duration backoffBase, Duration backoffMax, Duration disableAfter, int disableMinFailures, Duration keep,
            String siteUrl) {

        static Settings of(WebhookConfig c) {
            return new Settings(c.allowPrivateTargets(), c.pollInterval(), c.batchSize(), c.timeout(), c.retryFor(),
                    c.backoffBase(), c.backoffMax(), c.disableAfter(), c.disableMinFailures(), c.keep(), c.siteUrl());
        }
    }

    private record Due(long id, String messageId, String body, int attempts, Instant retryUntil, long subscriptionId,
            String url, String secret) {
    }

    private record Outcome(Due due, Integer status, String error, boolean permanent) {

        boolean ok() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private final DataSource ds;
    private final Settings settings;
    private final ObjectMapper mapper;
    private final WebClient client;
    private ScheduledExecutorService executor;
    private long runs;

    WebhookWorker(DataSource ds, Vertx vertx, ObjectMapper mapper, Settings settings) {
        this.ds = ds;
        this.settings = settings;
        this.mapper = mapper;
        // no redirects: a public target could otherwise send the request on to a private address
        this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)
                .setUserAgent("Downwatch-Webhooks/1").setConnectTimeout((int) settings.timeout().toMillis())
                .setMaxPoolSize(settings.batchSize()));
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-worker");
            t.setDaemon(true);
            return t;
        });
        long every = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::runSafely, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Stops after the run in progress (its attempts' results are recorded); pending rows stay for the next worker. */
    synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(settings.timeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    void close() {
        stop();
        client.close();
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (Exception e) {
            // the database may be away for a while: the rows wait, the next run tries again
            LOG.warnf("Webhooks: run failed: %s", e.toString());
        }
    }

    /** One run: fan out new events, attempt due deliveries; returns how many attempts were made. */
    int runOnce() throws SQLException {
        while (fanOut() == settings.batchSize()) {
            // a burst of events: fan all of it out before attempting
        }
        int attempted = 0;
        List<Due> due;
        do {
            due = claim();
            if (!due.isEmpty()) {
                record(attempt(due));
                attempted += due.size();
            }
        } while (due.size() == settings.batchSize());
        if (++runs % 3600 == 1) {
            cleanUp();
        }
        return attempted;
    }

    /** Turns up to one batch of new outbox events into deliveries; returns how many events it took. */
    int fanOut() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> done = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select o.id, o.type, o.reason, o.level, o.occurred_at, "
                        + "o.incident_id, s.slug, s.name, s.category, i.started_at, i.detected_at, i.peak_at, i.peak_count, "
                        + "i.ended_at, i.report_count, o.service_id, i.id is not null or n.id is not null, "
                        + "n.id, n.kind, n.message_fr, n.message_en, n.starts_at, n.ends_at, n.posted_at "
                        + "from webhook_outbox o left join incident i on i.id = o.incident_id "
                        + "left join service_notice n on n.id = o.notice_id "
                        + "left join service s on s.id = o.service_id "
                        + "where not o.fanned_out order by o.id limit ? for update of o skip locked");
                        PreparedStatement ins = c.prepareStatement("insert into webhook_delivery (subscription_id, outbox_id, "
                                + "message_id, type, body, retry_until) select ws.id, ?, ?, ?, ?, now() + ? * interval '1 second' "
                                + "from webhook_subscription ws where ws.disabled_at is null "
                                + "and (ws.service_id is null or ws.service_id = ?) and (ws.category is null or ws.category = ?) "
                                + "and (ws.min_level = 'possible' or ? = 'problem') on conflict do nothing")) {
                    ps.setInt(1, settings.batchSize());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long outboxId = rs.getLong(1);
                            done.add(outboxId);
                            if (!rs.getBoolean(17)) {
                                continue; // the incident (or notice) was deleted since: nothing to tell
                            }
                            String slug = rs.getString(7);
                            String level = rs.getString(4);
                            Object data;
                            if (rs.getObject(18) != null) {
                                // an official notice goes to every subscription covering the service, whatever its level
                                level = "problem";
                                data = new WebhookModels.NoticeData(rs.getLong(18), slug, rs.getString(8), rs.getString(9),
                                        rs.getString(19), new WebhookModels.Messages(rs.getString(20), rs.getString(21)),
                                        instant(rs, 22), instant(rs, 23), instant(rs, 24), settings.siteUrl() + "/services/" + slug);
                            } else {
                                data = new WebhookModels.IncidentData(rs.getLong(6), slug,
                                        rs.getString(8), rs.getString(9), level, rs.getString(3), instant(rs, 10), instant(rs, 11),
                                        instant(rs, 12), (Integer) rs.getObject(13), instant(rs, 14), rs.getInt(15),
                                        settings.siteUrl() + "/services/" + slug);
                            }
                            WebhookModels.Event event = new WebhookModels.Event(rs.getString(2), instant(rs, 5), data);
                            ins.setLong(1, outboxId);
                            ins.setString(2, "msg_" + outboxId);
                            ins.setString(3, event.type());
                            ins.setString(4, json(event));
                            ins.setLong(5, settings.retryFor().toSeconds());
                            ins.setInt(6, rs.getInt(16));
                            ins.setString(7, rs.getString(9));
                            ins.setString(8, level);
                            ins.addBatch();
                        }
                    }
                    ins.executeBatch();
                }
                if (!done.isEmpty()) {
                    try (PreparedStatement up = c.prepareStatement("update webhook_outbox set fanned_out = true where id = any(?)")) {
                        up.setArray(1, c.createArrayOf("int8", done.toArray()));
                        up.executeUpdate();
                    }
                }
                c.commit();
                return done.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Claims up to one batch of due deliveries of enabled subscriptions, leasing them for one attempt. */
    private List<Due> claim() throws SQLException {
        List<Due> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_delivery d set attempts = d.attempts + 1, "
                        + "last_attempt_at = now(), next_attempt_at = now() + ? * interval '1 millisecond' "
                        + "from webhook_subscription s where s.id = d.subscription_id and d.id in ("
                        + "select x.id from webhook_delivery x join webhook_subscription xs on xs.id = x.subscription_id "
                        + "where x.status = 'pending' and x.next_attempt_at <= now() and xs.disabled_at is null "
                        + "order by x.next_attempt_at limit ? for update of x skip locked) "
                        + "returning d.id, d.message_id, d.body, d.attempts, d.retry_until, s.id, s.url, s.secret")) {
            c.setAutoCommit(true);
            // the lease: longer than an attempt may take, so that no other worker attempts it meanwhile
            ps.setLong(1, settings.timeout().toMillis() * 2 + 5000);
            ps.setInt(2, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getLong(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    /** Sends every claimed delivery at once and waits for all the answers (each bounded by the timeout). */
    private List<Outcome> attempt(List<Due> due) {
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        for (Due d : due) {
            pending.add(send(d).subscribeAsCompletionStage().toCompletableFuture());
        }
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            try {
                out.add(pending.get(i).get(settings.timeout().toMillis() + 5000, TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                out.add(new Outcome(due.get(i), null, "no answer: " + e.getClass().getSimpleName(), false));
            }
        }
        return out;
    }

    private Uni<Outcome> send(Due d) {
        URI url;
        try {
            url = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Outcome(d, null, "invalid URL", true));
        }
        // checked at every attempt: the name may resolve elsewhere than when the subscription was made
        Optional<String> refused = TargetGuard.refusal(url, settings.allowPrivateTargets());
        if (refused.isPresent()) {
            return Uni.createFrom().item(new Outcome(d, null, "target refused: " + refused.get(), true));
        }
        long timestamp = Instant.now().getEpochSecond();
        return client.requestAbs(HttpMethod.POST, d.url()).timeout(settings.timeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", d.messageId())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", Signatures.sign(d.secret(), d.messageId(), timestamp, d.body()))
                .as(BodyCodec.none())
                .sendBuffer(Buffer.buffer(d.body()))
                .map(r -> new Outcome(d, r.statusCode(), r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode(),
                        r.statusCode() == 410))
                .onFailure().recoverWithItem(e -> new Outcome(d, null, shorten(String.valueOf(e.getMessage())), false));
    }

    private void record(List<Outcome> outcomes) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ok = c.prepareStatement("update webhook_delivery set status = 'delivered', delivered_at = now(), "
                    + "last_status = ?, last_error = null, next_attempt_at = now() where id = ?");
                    PreparedStatement retry = c.prepareStatement("update webhook_delivery set status = ?, last_status = ?, "
                            + "last_error = ?, next_attempt_at = ? where id = ?");
                    PreparedStatement good = c.prepareStatement("update webhook_subscription set consecutive_failures = 0, "
                            + "failing_since = null where id = ?");
                    PreparedStatement bad = c.prepareStatement("update webhook_subscription set "
                            + "consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now()), "
                            + "disabled_at = case when disabled_at is null and (? or (coalesce(failing_since, now()) "
                            + "<= now() - ? * interval '1 second' and consecutive_failures + 1 >= ?)) then now() "
                            + "else disabled_at end where id = ?")) {
                Instant now = Instant.now();
                for (Outcome o : outcomes) {
                    if (o.ok()) {
                        ok.setInt(1, o.status());
                        ok.setLong(2, o.due().id());
                        ok.addBatch();
                        good.setLong(1, o.due().subscriptionId());
                        good.addBatch();
                        continue;
                    }
                    Instant next = now.plus(backoff(o.due().attempts()));
                    boolean giveUp = o.permanent() || next.isAfter(o.due().retryUntil());
                    retry.setString(1, giveUp ? "failed" : "pending");
                    retry.setObject(2, o.status());
                    retry.setString(3, o.error());
                    retry.setTimestamp(4, Timestamp.from(next));
                    retry.setLong(5, o.due().id());
                    retry.addBatch();
                    // 410 Gone: the receiver asks not to be called again
                    bad.setBoolean(1, o.status() != null && o.status() == 410);
                    bad.setLong(2, settings.disableAfter().toSeconds());
                    bad.setInt(3, settings.disableMinFailures());
                    bad.setLong(4, o.due().subscriptionId());
                    bad.addBatch();
                }
                ok.executeBatch();
                retry.executeBatch();
                good.executeBatch();
                bad.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The wait before attempt {@code attempts + 1}: base * 2^(attempts - 1), at most max, with ±25% jitter. */
    Duration backoff(int attempts) {
        double base = settings.backoffBase().toMillis() * Math.pow(2, Math.min(30, Math.max(0, attempts - 1)));
        double capped = Math.min(base, settings.backoffMax().toMillis());
        double jittered = capped * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }

    /** Forgets old finished deliveries and events. */
    private void cleanUp() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from webhook_outbox o where o.fanned_out "
                        + "and o.occurred_at < now() - ? * interval '1 second' and not exists (select 1 from webhook_delivery d "
                        + "where d.outbox_id = o.id and d.status = 'pending')")) {
            c.setAutoCommit(true);
            ps.setLong(1, settings.keep().toSeconds());
            ps.executeUpdate();
        }
    }

    private String json(Object o) {
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) : s;
    }
}
