package org.downwatch.report;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Distinct simulated client addresses, so that tests do not share de-duplication or rate-limit state. */
final class Clients {

    private static final int BASE = ThreadLocalRandom.current().nextInt(1 << 20);
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Clients() {
    }

    /** A fresh IPv4 address in 10.0.0.0/8 (passed as X-Forwarded-For from loopback, a trusted proxy). */
    static String next() {
        int n = (BASE + NEXT.incrementAndGet() * 7919) & 0xffffff;
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }
}
