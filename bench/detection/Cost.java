import java.util.SplittableRandom;
import org.downwatch.detect.Detector;
import org.downwatch.detect.DetectorSettings;

/**
 * Cost of the live detector's maths: 10,000 services (one Detector each, as LiveDetector keeps them)
 * evaluated minute after minute. Run by run.sh with the app's classes on the class path:
 * java -cp target/classes bench/detection/Cost.java [services] [warm-up days]
 */
public class Cost {
    public static void main(String[] args) {
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
        java.lang.ref.Reference.reachabilityFence(d);
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
