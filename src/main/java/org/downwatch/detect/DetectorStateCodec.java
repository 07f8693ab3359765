package org.downwatch.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A {@link Detector}'s state as bytes, for {@code detector_state}: a 4-byte raw size, then deflated: the
 * {@link #key} (length and UTF-8), the fields of {@link #fields} in their order (big-endian), the ring column
 * by column so that a quiet service's zeros deflate to nothing. Tens of bytes for a quiet service's empty
 * weeks, about 30 KB at most.
 */
final class DetectorStateCodec {

    /**
     * Version of what a state holds and of how it is learned: bump it when the learning changes (what goes
     * into the ring, the levels, the dispersion), so that a snapshot of the old code is replayed rather
     * than restored.
     */
    static final int STATE_VERSION = 4;

    private DetectorStateCodec() {
    }

    /**
     * What a saved state must match to be restored: the state's version, the bucket and every setting
     * (a different alpha flags, hence learns, other minutes).
     */
    static String key(DetectorSettings settings, int bucketMinutes) {
        return "v" + STATE_VERSION + ";bucket=" + bucketMinutes + ";windows=" + Arrays.toString(settings.windows())
                + ";alpha=" + settings.problemAlpha() + ";possible=" + settings.possibleScore() + ";min="
                + settings.minPossible() + "/" + settings.minProblem() + ";floor=" + settings.floorProblem() + ";history="
                + settings.minHistoryMinutes() + ";weeks=" + settings.weeks();
    }

    /**
     * One pass over a detector's fields, writing or reading each, named by its size in the bytes: every
     * field is listed once, in {@link #fields}, so that writing and reading cannot drift apart. A writer
     * answers the value it was given, a reader the value it read.
     */
    private interface Fields {
        long i64(long v);

        int i32(int v);

        byte i8(byte v);

        double f64(double v);

        boolean bool(boolean v);

        void f64s(double[] v);

        void f32s(float[] v);

        void i16s(short[] v);

        void i64s(long[] v);
    }

    /** The fields in the order of the bytes (format version {@link #STATE_VERSION}). */
    private static void fields(Detector d, Fields f) {
        Baseline b = d.baseline;
        Dispersion p = d.dispersion;
        RecentBuckets r = d.recent;
        b.slot = f.i64(b.slot);
        d.lastMinute = f.i64(d.lastMinute);
        b.seasonal = f.f64(b.seasonal);
        b.seasonalFromHistory = f.bool(b.seasonalFromHistory);
        b.historyMinutes = f.i64(b.historyMinutes);
        b.historyReports = f.f64(b.historyReports);
        d.flaggedMinutes = f.i64(d.flaggedMinutes);
        b.globalRate = f.f64(b.globalRate);
        b.levelObs = f.f64(b.levelObs);
        b.levelExp = f.f64(b.levelExp);
        b.shortObs = f.f64(b.shortObs);
        b.shortExp = f.f64(b.shortExp);
        p.num = f.f64(p.num);
        p.den = f.f64(p.den);
        p.n = f.f64(p.n);
        p.slotObs = f.f64(p.slotObs);
        p.slotExp = f.f64(p.slotExp);
        d.level = level(f.i8((byte) d.level.ordinal()));
        d.since = f.i64(d.since);
        b.cvNum = f.f64(b.cvNum);
        b.cvN = f.f64(b.cvN);
        b.dayOfWeekRateDay = f.i64(b.dayOfWeekRateDay);
        d.youngObs = f.f64(d.youngObs);
        d.youngMinutes = f.f64(d.youngMinutes);
        f.f64s(b.dayOfWeekRate);
        d.calibration.highest = f.f64(d.calibration.highest);
        f.f64s(d.calibration.bins);
        r.head = f.i32(r.head);
        r.size = f.i32(r.size);
        for (int i = 0; i < r.capacity(); i++) {
            r.minute[i] = f.i64(r.minute[i]);
            r.count[i] = f.i32(r.count[i]);
            r.expected[i] = f.f64(r.expected[i]);
            r.base[i] = f.f64(r.base[i]);
            r.flagged[i] = f.bool(r.flagged[i]);
        }
        // the ring column by column, so that a quiet service's zeros deflate to nothing
        f.f32s(b.sum);
        f.i16s(b.mins);
        f.f32s(b.expectedRate);
        f.i64s(b.flaggedSlots);
    }

    /** The level's byte is its ordinal (none 0, possible 1, problem 2). */
    private static Level level(byte code) {
        return code == 2 ? Level.PROBLEM : code == 1 ? Level.POSSIBLE : Level.NONE;
    }

    /** Bytes of a state besides its key: the scalars (at most 300), the calibration's histogram, the recent buckets and the ring. */
    private static int size(Detector d) {
        return 300 + 8 * d.calibration.bins.length + d.recent.capacity() * 29 + d.baseline.ring * 10 + d.baseline.flaggedSlots.length * 8;
    }

    static byte[] encode(Detector d) {
        byte[] key = key(d.settings, d.bucket).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + key.length + size(d));
        b.putInt(key.length).put(key);
        fields(d, new Writer(b));
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(b.array(), 0, b.position());
            deflater.finish();
            byte[] out = new byte[b.position() + 64];
            int len = 4;
            ByteBuffer.wrap(out).putInt(b.position());
            while (!deflater.finished()) {
                if (len == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                len += deflater.deflate(out, len, out.length - len);
            }
            return Arrays.copyOf(out, len);
        } finally {
            deflater.end();
        }
    }

    /**
     * A detector that goes on where the one that saved {@code state} stopped; null when the state was saved
     * under other settings, another bucket or another {@link #STATE_VERSION}, or cannot be read.
     */
    static Detector decode(DetectorSettings settings, int bucketMinutes, byte[] state) {
        Detector d = new Detector(settings, bucketMinutes);
        try {
            ByteBuffer head = ByteBuffer.wrap(state);
            int size = head.getInt();
            if (size < 0 || size > 4096 + size(d)) {
                return null;
            }
            byte[] raw = new byte[size];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(state, 4, state.length - 4);
                if (inflater.inflate(raw) != size || !inflater.finished()) {
                    return null;
                }
            } finally {
                inflater.end();
            }
            ByteBuffer b = ByteBuffer.wrap(raw);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            if (!key(settings, bucketMinutes).equals(new String(key, StandardCharsets.UTF_8))) {
                return null;
            }
            fields(d, new Reader(b));
            RecentBuckets r = d.recent;
            if (b.hasRemaining() || r.head < 0 || r.head >= r.capacity() || r.size < 0 || r.size > r.capacity()) {
                return null;
            }
            return d;
        } catch (DataFormatException | RuntimeException e) {
            return null; // truncated or not a state: replay instead
        }
    }

    private record Writer(ByteBuffer b) implements Fields {
        public long i64(long v) {
            b.putLong(v);
            return v;
        }

        public int i32(int v) {
            b.putInt(v);
            return v;
        }

        public byte i8(byte v) {
            b.put(v);
            return v;
        }

        public double f64(double v) {
            b.putDouble(v);
            return v;
        }

        public boolean bool(boolean v) {
            b.put((byte) (v ? 1 : 0));
            return v;
        }

        public void f64s(double[] v) {
            for (double x : v) {
                b.putDouble(x);
            }
        }

        public void f32s(float[] v) {
            for (float x : v) {
                b.putFloat(x);
            }
        }

        public void i16s(short[] v) {
            for (short x : v) {
                b.putShort(x);
            }
        }

        public void i64s(long[] v) {
            for (long x : v) {
                b.putLong(x);
            }
        }
    }

    private record Reader(ByteBuffer b) implements Fields {
        public long i64(long v) {
            return b.getLong();
        }

        public int i32(int v) {
            return b.getInt();
        }

        public byte i8(byte v) {
            return b.get();
        }

        public double f64(double v) {
            return b.getDouble();
        }

        public boolean bool(boolean v) {
            return b.get() == 1;
        }

        public void f64s(double[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getDouble();
            }
        }

        public void f32s(float[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getFloat();
            }
        }

        public void i16s(short[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getShort();
            }
        }

        public void i64s(long[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getLong();
            }
        }
    }
}
