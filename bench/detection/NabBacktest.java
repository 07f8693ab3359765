import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.downwatch.detect.Backtest;
import org.downwatch.detect.DetectorSettings;

/**
 * Runs backtest CSV files (timestamp,count) through Backtest.run in process, with the default settings, the code
 * behind POST /api/v1/backtest, and writes the answered score,anomaly per row to FILE.out: nab.py --classes
 * uses it to try a compiled tree without packaging and starting the app.
 */
public class NabBacktest {
    public static void main(String[] files) throws Exception {
        for (String f : files) {
            List<Backtest.Row> rows = Backtest.run(Files.readString(Path.of(f)), null, DetectorSettings.defaults(), 200_000);
            StringBuilder sb = new StringBuilder(rows.size() * 12);
            for (Backtest.Row r : rows) {
                sb.append(r.score()).append(',').append(r.anomaly()).append('\n');
            }
            Files.writeString(Path.of(f + ".out"), sb.toString());
        }
    }
}
