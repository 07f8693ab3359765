package org.downwatch.detect;

/**
 * The wide networks (IPv4 /24, IPv6 /48) that reports came from, as a 256-bit sketch: one bit per network,
 * at a keyed hash of it (the report writer sets them, {@code report_minute_network}). Sketches of several
 * minutes unite by OR, and the number of distinct networks is estimated from the bits set (linear counting:
 * exact but for collisions, about 2 % at 5 networks and 5 % at 25 ones, always downwards). Plain Java.
 */
final class NetworkSketch {

    static final int BITS = 256;
    /** Past this many networks the sketch is nearly full: estimates say "at least this many". */
    static final int MAX_ESTIMATE = 1000;

    private NetworkSketch() {
    }

    /** ORs {@code b} into {@code into} (both four longs). */
    static void union(long[] into, long[] b) {
        for (int i = 0; i < 4; i++) {
            into[i] |= b[i];
        }
    }

    /** A sketch with the given bits set, for tests and tools. */
    static long[] of(int... bits) {
        long[] s = new long[4];
        for (int bit : bits) {
            s[bit >>> 6] |= 1L << (bit & 63);
        }
        return s;
    }

    /** The estimated number of distinct networks: -m ln(1 - ones/m), rounded, at most {@link #MAX_ESTIMATE}. */
    static int estimate(long[] sketch) {
        int ones = 0;
        for (long w : sketch) {
            ones += Long.bitCount(w);
        }
        if (ones >= BITS) {
            return MAX_ESTIMATE;
        }
        return (int) Math.min(MAX_ESTIMATE, Math.round(-BITS * Math.log(1 - ones / (double) BITS)));
    }
}
