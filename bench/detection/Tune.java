import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.downwatch.detect.Detector;
import org.downwatch.detect.DetectorSettings;

/**
 * Runs the Detector over the series written by tune.py (big-endian int32 counts per minute from
 * 2026-01-05T00:00Z) and writes one flag byte per minute (1 = problem). Settings: the defaults with
 * -Dwindows=, -Dalpha=, -DminProblem= overridden.
 */
public class Tune {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        DetectorSettings d0 = DetectorSettings.defaults();
        int[] windows = System.getProperty("windows") == null ? d0.windows()
                : Arrays.stream(System.getProperty("windows").split(",")).mapToInt(Integer::parseInt).toArray();
        DetectorSettings s = new DetectorSettings(windows, Double.parseDouble(System.getProperty("alpha", "" + d0.problemAlpha())),
                d0.possibleScore(), d0.minPossible(), Integer.getInteger("minProblem", d0.minProblem()), d0.floorProblem(),
                d0.minHistoryMinutes(), d0.weeks());
        Path out = dir.resolve(a[1]);
        Files.createDirectories(out);
        long t0 = 1767571200L / 60;
        try (var files = Files.newDirectoryStream(dir, "*.bin")) {
            for (Path p : files) {
                IntBuffer counts = ByteBuffer.wrap(Files.readAllBytes(p)).asIntBuffer();
                byte[] flags = new byte[counts.remaining()];
                Detector detector = new Detector(s, 1);
                for (int i = 0; i < flags.length; i++) {
                    flags[i] = (byte) (detector.step(t0 + i, counts.get(i), false).problem() ? 1 : 0);
                }
                Files.write(out.resolve(p.getFileName()), flags);
            }
        }
    }
}
