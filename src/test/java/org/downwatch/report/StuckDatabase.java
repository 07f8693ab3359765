package org.downwatch.report;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;

/**
 * A TCP relay between the application and the tests' PostgreSQL that can stop relaying: while
 * {@link #FROZEN} is set, bytes are held, connections stay open and nothing is answered, as when the
 * database's host hangs or the network drops packets. The server never sees a cancel request either,
 * so a statement timeout cannot help: only the client's own timeouts can.
 */
public class StuckDatabase implements QuarkusTestResourceLifecycleManager {

    /** A system property, shared by every class loader of the test JVM. */
    static final String FROZEN = "downwatch.test.database-frozen";

    private ServerSocket server;

    static void freeze() {
        System.setProperty(FROZEN, "true");
    }

    static void thaw() {
        System.clearProperty(FROZEN);
    }

    @Override
    public Map<String, String> start() {
        String url = System.getenv().getOrDefault("DOWNWATCH_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/downwatch_test");
        URI target = URI.create(url.substring("jdbc:".length()));
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(() -> accept(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort()), "stuck-db-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + target.getPath(),
                "downwatch.report.timeout", "PT2S",
                "quarkus.datasource.jdbc.acquisition-timeout", "2S");
    }

    private void accept(String host, int port) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket db = new Socket(host, port);
                pump(client, db);
                pump(db, client);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (System.getProperty(FROZEN) != null) {
                        Thread.sleep(20);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closed already
                }
            }
        }, "stuck-db-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop() {
        thaw();
        try {
            server.close();
        } catch (IOException ignored) {
            // closed already
        }
    }
}
