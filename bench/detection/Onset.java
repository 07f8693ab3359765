import java.util.*;
import org.downwatch.detect.Detector;
import org.downwatch.detect.DetectorSettings;
/**
 * How well the detector dates the start of an outage: Poisson steps of lambda per minute times k, sudden or
 * ramping over 10 minutes, on a service 5 hours old (young) and 8 days old (trusted), 40 trials each; for
 * each, the first problem's onset minus the true start (median, 10th and 90th percentiles) and how many
 * onsets fall more than a minute early. docs/benchmarks-journal.md, session 10.
 *   ./mvnw -q compile && java -cp target/classes bench/detection/Onset.java
 */
public class Onset {
    static int poisson(SplittableRandom r, double mean) {
        if (mean > 30) // a normal approximation: the product method needs too many draws
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        double l = Math.exp(-mean), p = 1; int k = 0;
        do { k++; p *= r.nextDouble(); } while (p > l);
        return k - 1;
    }
    public static void main(String[] a) {
        long t0 = 29_000_000L;
        for (int hours : new int[] {5, 24 * 8}) for (double lam : new double[] {0.5, 2, 10}) for (double k : new double[] {3, 5, 20}) for (int ramp : new int[] {1, 10}) {
            List<Integer> err = new ArrayList<>(); int missed = 0;
            for (int trial = 0; trial < 40; trial++) {
                SplittableRandom r = new SplittableRandom(trial * 7919L + hours);
                Detector d = new Detector(DetectorSettings.defaults(), 1);
                long step = t0 + hours * 60L;
                for (long m = t0; m < step; m++) d.step(m, poisson(r, lam), false);
                Integer e = null;
                for (long m = step; m < step + 120; m++) {
                    double mult = 1 + (k - 1) * Math.min(1, (m - step + 1) / (double) ramp);
                    var v = d.step(m, poisson(r, lam * mult), false);
                    if (v.problem()) { e = (int) (v.onset() - step); break; }
                }
                if (e == null) missed++; else err.add(e);
            }
            Collections.sort(err);
            int n = err.size();
            long early = err.stream().filter(x -> x < -1).count();
            System.out.printf("age %4dh lam %4.1f k %4.0f ramp %2d: caught %2d/40 onset err median %s p10 %s p90 %s, >1 min early %d%n", hours, lam, k, ramp, n,
                    n > 0 ? err.get(n / 2) : "-", n > 0 ? err.get(n / 10) : "-", n > 0 ? err.get(n * 9 / 10) : "-", early);
        }
    }
}
