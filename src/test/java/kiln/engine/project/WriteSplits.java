package kiln.engine.project;

import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a CSV project's raw train, validation and test splits (as Kiln's seeded split makes them, before the
 * pipeline) to train.csv, validation.csv and test.csv, so that another tool can be measured on the same rows:
 *
 * <pre>mvn -B -ntp -o -q test-compile && java -cp "target/test-classes:target/classes:target/lib/*" kiln.engine.project.WriteSplits PROJECT OUT</pre>
 */
public final class WriteSplits {

    private WriteSplits() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WriteSplits PROJECT-FOLDER OUTPUT-FOLDER");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        Project p = ProjectIO.load(folder);
        DataSplits s = DataLoader.load(p.data(), folder, p.split(), Progress.NONE);
        Path out = Files.createDirectories(Path.of(args[1]));
        for (var e : Map.of("train", s.train(), "validation", s.validation(), "test", s.test()).entrySet()) {
            Files.writeString(out.resolve(e.getKey() + ".csv"), csv(e.getValue()));
            System.out.println("wrote " + out.resolve(e.getKey() + ".csv") + " (" + e.getValue().size() + " rows)");
        }
    }

    /** Feature values then the label or target, one row per sample; no header. */
    private static String csv(Dataset d) {
        StringBuilder b = new StringBuilder();
        int per = d.sampleLength();
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < per; j++) b.append(d.features()[i * per + j]).append(',');
            b.append(d.numeric() ? Float.toString(d.targets()[i]) : d.classNames().get(d.labels()[i])).append('\n');
        }
        return b.toString();
    }
}
