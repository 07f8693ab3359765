import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.downwatch.detect.Detector;
import org.downwatch.detect.DetectorSettings;

/**
 * Cost of the live detector's maths: 10,000 services (one Detector each, as ServiceDetectors keeps them)
 * evaluated minute after minute. Run by run.sh with the app's classes on the class path:
 * java -cp target/classes bench/detection/Cost.java [services] [warm-up days] [JDBC URL]
 * <p>
 * Then the cost of saving and restoring what the detectors learned (detector_state): every
 * detector's state() and Detector.restore(), and with a JDBC URL (and the PostgreSQL driver on the class
 * path) the same rows written in batches of 200 to a scratch table and read back, as DetectionStore does.
 */
public class Cost {
    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmDays = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        DetectorSettings settings = DetectorSettings.defaults();
        Detector[] d = new Detector[services];
        double[] rate = new double[services];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < services; i++) {
            d[i] = new Detector(settings, 1);
            rate[i] = Math.exp(Math.log(0.05) + r.nextDouble() * Math.log(400)); // 0.05 to 20 a minute
        }
        long t0 = 29_460_000L; // an epoch minute
        long m = t0;
        long w = System.nanoTime();
        for (; m < t0 + warmDays * 1440L; m++) {
            for (int i = 0; i < services; i++) {
                d[i].step(m, poisson(r, rate[i]), false);
            }
        }
        System.out.printf("warm-up: %d services x %d minutes in %.1f s%n", services, warmDays * 1440,
                (System.nanoTime() - w) / 1e9);
        // the measured minutes: every service, with bounds (as the live detector's last minute)
        int minutes = 120;
        long[] perMinute = new long[minutes];
        int[] c = new int[services];
        for (int k = 0; k < minutes; k++, m++) {
            for (int i = 0; i < services; i++) {
                c[i] = poisson(r, rate[i]);
            }
            long s = System.nanoTime();
            for (int i = 0; i < services; i++) {
                d[i].step(m, c[i], true);
            }
            perMinute[k] = System.nanoTime() - s;
        }
        java.util.Arrays.sort(perMinute, 60, minutes); // the first hour warms the JIT
        System.out.printf("one minute of %d services: median %.1f ms, max %.1f ms (last 60 of %d minutes)%n", services,
                perMinute[90] / 1e6, perMinute[minutes - 1] / 1e6, minutes);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.out.printf("heap used with %d detectors: %d MB%n", services, (rt.totalMemory() - rt.freeMemory()) >> 20);
        snapshot(d, settings, args.length > 2 ? args[2] : null);
        java.lang.ref.Reference.reachabilityFence(d);
    }

    static void snapshot(Detector[] d, DetectorSettings settings, String url) throws Exception {
        byte[][] states = new byte[d.length][];
        long s = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < d.length; i++) {
            states[i] = d[i].state();
            bytes += states[i].length;
        }
        double save = (System.nanoTime() - s) / 1e6;
        s = System.nanoTime();
        for (int i = 0; i < d.length; i++) {
            if (Detector.restore(settings, 1, states[i]) == null) {
                throw new IllegalStateException("not restored");
            }
        }
        double restore = (System.nanoTime() - s) / 1e6;
        int[] sizes = Arrays.stream(states).mapToInt(b -> b.length).sorted().toArray();
        System.out.printf("state of %d detectors: %.1f MB deflated (per service median %.1f KB, max %.1f KB); "
                + "state() %.0f ms, restore() %.0f ms%n", d.length, bytes / 1e6, sizes[sizes.length / 2] / 1e3,
                sizes[sizes.length - 1] / 1e3, save, restore);
        if (url == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_detector_state");
                st.execute("create table bench_detector_state (service_id integer primary key, minute timestamptz not null, "
                        + "settings text not null, state bytea not null, saved_at timestamptz not null default now())");
                st.execute("alter table bench_detector_state alter column state set storage external");
            }
            String key = Detector.stateKey(settings, 1);
            for (int run = 0; run < 2; run++) {
                c.setAutoCommit(false);
                s = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    st.execute("delete from bench_detector_state");
                }
                try (PreparedStatement ps = c.prepareStatement("insert into bench_detector_state (service_id, minute, settings, state) "
                        + "values (?, now(), ?, ?)")) {
                    for (int i = 0; i < d.length; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, key);
                        ps.setBytes(3, d[i].state());
                        ps.addBatch();
                        if ((i + 1) % 200 == 0) {
                            ps.executeBatch();
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
                double write = (System.nanoTime() - s) / 1e6;
                s = System.nanoTime();
                int n = 0;
                try (PreparedStatement ps = c.prepareStatement("select service_id, minute, settings, state from bench_detector_state")) {
                    ps.setFetchSize(200);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (Detector.restore(settings, 1, rs.getBytes(4)) != null) {
                                n++;
                            }
                        }
                    }
                }
                c.commit();
                double read = (System.nanoTime() - s) / 1e6;
                System.out.printf("database, run %d: saved %d states in %.0f ms, read and restored %d in %.0f ms%n", run + 1,
                        d.length, write, n, read);
            }
            try (Statement st = c.createStatement()) {
                st.execute("drop table bench_detector_state");
            }
            c.commit();
        }
    }

    static int poisson(SplittableRandom r, double mean) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
