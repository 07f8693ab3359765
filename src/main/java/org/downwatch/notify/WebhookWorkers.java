package org.downwatch.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import javax.sql.DataSource;

/** Runs this instance's webhook worker from start to shutdown, unless {@code downwatch.webhooks.enabled=false}. */
@ApplicationScoped
class WebhookWorkers {

    private final DataSource ds;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final WebhookConfig config;
    private WebhookWorker worker;

    WebhookWorkers(DataSource ds, Vertx vertx, ObjectMapper mapper, WebhookConfig config) {
        this.ds = ds;
        this.vertx = vertx;
        this.mapper = mapper;
        this.config = config;
    }

    /** A worker with these settings (not started); tests run several on one database. */
    WebhookWorker create(WebhookWorker.Settings settings) {
        return new WebhookWorker(ds, vertx, mapper, settings);
    }

    WebhookWorker.Settings settings() {
        return WebhookWorker.Settings.of(config);
    }

    void start(@Observes StartupEvent e) {
        if (config.enabled()) {
            worker = create(settings());
            worker.start();
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (worker != null) {
            worker.close();
        }
    }
}
