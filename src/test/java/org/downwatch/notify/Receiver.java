package org.downwatch.notify;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** A real local HTTP receiver of webhooks (a Vert.x server on a free port) that records what it gets. */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, List<String>> headers, String body, int answered) {

        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile IntSupplier status = () -> 200;

    Receiver(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            int s = status.getAsInt();
            Map<String, List<String>> headers = new java.util.HashMap<>();
            req.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(), k -> new ArrayList<>()).add(e.getValue()));
            requests.add(new Request(req.path(), headers, body.toString(), s));
            req.response().setStatusCode(s).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** What the receiver answers from now on. */
    void answer(IntSupplier status) {
        this.status = status;
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
