package org.downwatch.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One instance of the packaged application (target/quarkus-app), a real process of its own. */
final class Instance implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final int port;
    /** The management interface's port: health and metrics. */
    final int managementPort;
    final Path log;
    private final Process process;

    private Instance(String name, int port, int managementPort, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.process = process;
    }

    /** Starts the packaged jar with these environment variables and waits until it is ready. */
    static Instance start(String name, Map<String, String> env) throws IOException, InterruptedException {
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("no " + jar + ": the integration tests run after the package phase");
        }
        int port = freePort();
        int managementPort = freePort();
        Path log = Path.of("target", "cluster-it-" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.getPath())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        Instance i = new Instance(name, port, managementPort, log, pb.start());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (i.status(i.management("/q/health/ready")) != 200) {
            if (!i.process.isAlive() || System.nanoTime() > deadline) {
                i.close();
                throw new IllegalStateException(name + " did not start; see " + log);
            }
            Thread.sleep(250);
        }
        return i;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A URI on the management interface. */
    URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    int status(String path) {
        return status(uri(path));
    }

    int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** POSTs a report as the client {@code address} (X-Forwarded-For from loopback, a trusted proxy). */
    HttpResponse<String> report(String service, String problem, String address, String userAgent) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri("/api/v1/services/" + service + "/reports"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address).header("User-Agent", userAgent)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"problem\": \"" + problem + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The count of a Prometheus counter or timer on this instance (summed over its series), 0 when absent. */
    double metric(String name) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(management("/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook, no state saved, connections dropped. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
