package kiln.engine.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.train.TrainingEvent;
import kiln.engine.util.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run's folder inside a project: run.json (summary), metrics.csv (one row per epoch),
 * checkpoint.zip (latest epoch, with optimizer state, so training can continue) and best.zip
 * (the epoch with the lowest validation loss). Every file is replaced atomically.
 */
public final class RunFolder {

    public static final String RUNS = "runs";
    private static final Pattern RUN_NAME = Pattern.compile("run-(\\d+)");
    private static final String METRICS_HEADER =
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,learning_rate";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    public static RunFolder open(Path dir) {
        return new RunFolder(dir);
    }

    /** Creates runs/run-N with N one more than the highest existing run. */
    public static RunFolder createNext(Path projectFolder) throws IOException {
        Path runs = projectFolder.resolve(RUNS);
        Files.createDirectories(runs);
        int next = list(projectFolder).stream().mapToInt(RunFolder::number).max().orElse(0) + 1;
        while (true) {
            Path dir = runs.resolve("run-" + next);
            try {
                Files.createDirectory(dir);
                return new RunFolder(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                next++; // another process took it
            }
        }
    }

    /** The project's runs, oldest first. */
    public static List<RunFolder> list(Path projectFolder) throws IOException {
        Path runs = projectFolder.resolve(RUNS);
        if (!Files.isDirectory(runs)) return List.of();
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(p -> RUN_NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .map(RunFolder::new).sorted(Comparator.comparingInt(RunFolder::number)).toList();
        }
    }

    public Path dir() { return dir; }

    public String id() { return dir.getFileName().toString(); }

    private int number() {
        Matcher m = RUN_NAME.matcher(id());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    public Path checkpoint() { return dir.resolve("checkpoint.zip"); }

    public Path best() { return dir.resolve("best.zip"); }

    public Path metricsFile() { return dir.resolve("metrics.csv"); }

    /** What the run's data was: the fitted pipeline in words with its constants, the split and the data source. */
    public Path dataRecordFile() { return dir.resolve("data.json"); }

    public void writeDataRecord(List<String> fittedSteps, SplitSettings split, DataSourceSpec data) throws IOException {
        AtomicFiles.write(dataRecordFile(), (JSON.writeValueAsString(dataRecord(fittedSteps, split, data)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The record written when the run started; empty for runs from before Kiln wrote it. */
    public Optional<JsonNode> readDataRecord() throws IOException {
        return Files.exists(dataRecordFile()) ? Optional.of(JSON.readTree(dataRecordFile().toFile())) : Optional.empty();
    }

    /** The record as {@link #readDataRecord} returns it, for comparing a run's data with the project's now. */
    public static JsonNode dataRecord(List<String> fittedSteps, SplitSettings split, DataSourceSpec data) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fittedSteps", fittedSteps);
        m.put("split", split);
        m.put("dataKind", data.kind());
        m.put("data", data);
        return JSON.readTree(JSON.writeValueAsString(m)); // through text, so numbers compare as they will be read
    }

    public void writeRecord(RunRecord record) throws IOException {
        AtomicFiles.write(dir.resolve("run.json"), (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public RunRecord readRecord() throws IOException {
        return JSON.readValue(dir.resolve("run.json").toFile(), RunRecord.class);
    }

    /** Gives the run a display name (blank clears it); only for runs that are not training. */
    public RunRecord rename(String name) throws IOException {
        String clean = name == null || name.isBlank() ? null : name.strip();
        RunRecord renamed = readRecord().withName(clean);
        writeRecord(renamed);
        return renamed;
    }

    /** Deletes the run's folder with everything in it. */
    public void delete() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    public void writeMetrics(List<TrainingEvent.EpochFinished> epochs) throws IOException {
        StringBuilder sb = new StringBuilder(METRICS_HEADER).append('\n');
        for (TrainingEvent.EpochFinished e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.8g%n", e.epoch(), e.trainLoss(),
                    e.trainAccuracy(), e.validationLoss(), e.validationAccuracy(), e.seconds(), e.learningRate()));
        }
        AtomicFiles.write(metricsFile(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Epoch rows as written; "best" is recomputed as the lowest validation loss so far. */
    public List<TrainingEvent.EpochFinished> readMetrics() throws IOException {
        List<TrainingEvent.EpochFinished> out = new ArrayList<>();
        if (!Files.exists(metricsFile())) return out;
        List<String> lines = Files.readAllLines(metricsFile(), StandardCharsets.UTF_8);
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] c = line.split(",");
            try {
                double val = Double.parseDouble(c[3]);
                boolean best = val < bestLoss;
                if (best) bestLoss = val;
                out.add(new TrainingEvent.EpochFinished(Integer.parseInt(c[0]), Double.parseDouble(c[1]),
                        Double.parseDouble(c[2]), val, Double.parseDouble(c[4]), Double.parseDouble(c[5]),
                        Double.parseDouble(c[6]), best));
            } catch (RuntimeException e) {
                throw new IOException(metricsFile() + " line " + (i + 1) + " is damaged: '" + line + "'", e);
            }
        }
        return out;
    }

    public void saveCheckpoint(ComputationGraph net) throws IOException {
        AtomicFiles.write(checkpoint(), tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
    }

    public void saveBest(ComputationGraph net) throws IOException {
        AtomicFiles.write(best(), tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
    }

    public ComputationGraph loadCheckpoint() throws IOException {
        return ModelSerializer.restoreComputationGraph(checkpoint().toFile(), true);
    }

    public ComputationGraph loadBest() throws IOException {
        return ModelSerializer.restoreComputationGraph(best().toFile(), true);
    }
}
