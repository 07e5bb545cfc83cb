package kiln.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.weights.SafeTensors;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Brings a run trained outside Kiln (the folder train.py of a PyTorch training export writes) into a project as
 * a normal run-N: metrics, weights and result are checked against the project's network first, and the run
 * folder appears in one move, so a refused folder leaves the project as it was.
 */
public final class RunImport {

    public static final String RESULT = "result.json";
    public static final String RESULT_FORMAT = "kiln-pytorch-run-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A folder that cannot become a run; the message names the file, the problem and the fix. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    private RunImport() { }

    /**
     * @param source the run folder train.py wrote, or the export folder holding it as run/
     * @return the new run
     */
    public static RunFolder importRun(Project project, Path projectFolder, Path source) throws RefusedException {
        Path dir = runFolderOf(source);
        RunFolder incoming = RunFolder.open(dir);
        JsonNode result = readResult(dir);
        List<TrainingEvent.EpochFinished> metrics = readMetrics(incoming);
        int epochs = intField(dir, result, "epochs", 1);
        if (metrics.size() != epochs) {
            throw new RefusedException(incoming.metricsFile() + " has " + metrics.size() + " epoch rows but " + RESULT
                    + " says " + epochs + " epochs were trained; the folder is incomplete. Run train.py to the end again.");
        }
        checkWeights(project, incoming, epochs);
        TrainingSettings settings = settingsOf(dir, result);
        int limitTrain = intField(dir, result, "limit_train", 0);
        JsonNode dataRecord = result.get("data_record");
        if (dataRecord == null || !dataRecord.isObject()) throw damaged(dir, "has no data_record");
        String status = result.path("status").asText();
        if (!Set.of("completed", "early_stopped").contains(status)) throw damaged(dir, "has an unknown status '" + status + "'");
        RunRecord record = new RunRecord("", status,
                result.path("started").asText(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()),
                result.path("seconds").asDouble(Double.NaN), epochs, intField(dir, result, "best_epoch", 1),
                result.path("best_validation_loss").asDouble(Double.NaN), result.path("test_loss").asDouble(Double.NaN),
                result.path("test_accuracy").asDouble(Double.NaN), limitTrain, origin(result, source), settings, null);

        Path runs = projectFolder.resolve(RunFolder.RUNS);
        Path prepared = null;
        try {
            Files.createDirectories(runs);
            prepared = Files.createTempDirectory(runs, ".import-");
            RunFolder target = RunFolder.open(prepared);
            Files.copy(incoming.metricsFile(), target.metricsFile());
            Files.copy(incoming.checkpoint(), target.checkpoint());
            if (Files.exists(incoming.best())) Files.copy(incoming.best(), target.best());
            Files.copy(dir.resolve(RESULT), prepared.resolve(RESULT));
            target.writeDataRecord(dataRecord);
            return RunFolder.adopt(projectFolder, prepared, id -> target.writeRecord(new RunRecord(id, record.status(),
                    record.started(), record.seconds(), record.epochsCompleted(), record.bestEpoch(),
                    record.bestValidationLoss(), record.testLoss(), record.testAccuracy(), record.limitTrain(),
                    record.message(), record.settings(), null)));
        } catch (IOException e) {
            throw new RefusedException("The run could not be written into " + runs + ": " + e.getMessage()
                    + ". Check that the disk has space and the project folder is writable.");
        } finally {
            if (prepared != null) deleteQuietly(prepared);
        }
    }

    private static Path runFolderOf(Path source) throws RefusedException {
        if (!Files.isDirectory(source)) {
            throw new RefusedException(source + " is not a folder; give the run folder train.py wrote (run/ in the export).");
        }
        if (!Files.exists(source.resolve(RESULT)) && Files.isDirectory(source.resolve("run"))) return source.resolve("run");
        return source;
    }

    private static JsonNode readResult(Path dir) throws RefusedException {
        Path file = dir.resolve(RESULT);
        if (!Files.exists(file)) {
            throw new RefusedException(dir + " has no " + RESULT + ", which train.py writes when it finishes; let train.py "
                    + "run to the end, or give the folder it wrote (run/ in the export).");
        }
        JsonNode result;
        try {
            result = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw damaged(dir, "cannot be read (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (result == null || !RESULT_FORMAT.equals(result.path("format").asText())) {
            throw damaged(dir, "is not a PyTorch run's result (no \"format\": \"" + RESULT_FORMAT + "\")");
        }
        return result;
    }

    private static List<TrainingEvent.EpochFinished> readMetrics(RunFolder run) throws RefusedException {
        if (!Files.exists(run.metricsFile())) {
            throw new RefusedException(run.dir() + " has no metrics.csv; give the folder train.py wrote, or run it again.");
        }
        List<TrainingEvent.EpochFinished> rows;
        try {
            rows = run.readMetrics();
        } catch (IOException e) {
            throw new RefusedException(e.getMessage() + ". Run train.py again to write it anew.");
        }
        if (rows.isEmpty()) throw new RefusedException(run.metricsFile() + " has no epoch rows; train at least one epoch.");
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).epoch() != i + 1) {
                throw new RefusedException(run.metricsFile() + " row " + (i + 2) + " is epoch " + rows.get(i).epoch()
                        + " where epoch " + (i + 1) + " belongs; run train.py again.");
            }
        }
        return rows;
    }

    /** Every weights file must fit the project's network exactly; the first difference is named. */
    private static void checkWeights(Project project, RunFolder run, int epochs) throws RefusedException {
        if (!Files.exists(run.checkpoint())) {
            throw new RefusedException(run.dir() + " has no checkpoint.safetensors (the trained weights); run train.py again.");
        }
        GraphAnalysis analysis = ShapeInference.analyze(project.graph());
        if (!analysis.isValid()) {
            throw new RefusedException("The project's network has a problem, so no run can be checked against it: "
                    + analysis.firstProblem().orElseThrow());
        }
        NativeSetup.prepare();
        NetworkSpec spec = NetworkCompiler.compile(project.graph(), analysis);
        Set<String> known = new HashSet<>();
        for (Param p : spec.params()) known.add(p.name());
        for (Path file : List.of(run.checkpoint(), run.best())) {
            if (file == run.best() && !Files.exists(file)) continue;
            try {
                for (var e : SafeTensors.shapes(file).entrySet()) {
                    String name = e.getKey().startsWith("optimizer.") ? e.getKey().substring(e.getKey().indexOf('.', 10) + 1)
                            : e.getKey();
                    if (!known.contains(name)) {
                        throw new RefusedException(run.id() + " is from a different network: " + file.getFileName() + " has "
                                + name + " " + Arrays.toString(e.getValue()) + ", which the project's network has no "
                                + "layer for. Import it into the project it was exported from, or export this one again.");
                    }
                }
                int saved = run.loadWeights(file, spec, new Parameters(spec.params(), DataType.FLOAT));
                if (file == run.checkpoint() && saved != epochs) {
                    throw new RefusedException(file + " holds epoch " + saved + " but metrics.csv has " + epochs
                            + " epochs; the folder is incomplete. Run train.py again.");
                }
            } catch (RunFolder.DifferentNetworkException e) {
                Node layer = project.graph().node(e.layer());
                throw new RefusedException(file.getFileName() + " is from a different network: " + e.layer() + " ("
                        + (layer == null ? "no such layer" : layer.type().displayName()) + ") has "
                        + (e.inRun() == null ? "no " + e.tensor() : e.tensor() + " " + Arrays.toString(e.inRun()))
                        + " in the run but " + Arrays.toString(e.inProject()) + " in the project. Import it into the "
                        + "project it was exported from, or export this one again.");
            } catch (IOException e) {
                String why = e.getMessage().strip();
                throw new RefusedException("The weights in " + file + " cannot be used: " + why + (why.endsWith(".") ? "" : ".")
                        + " If the folder was copied, copy it again; otherwise run train.py again.");
            }
        }
    }

    private static TrainingSettings settingsOf(Path dir, JsonNode result) throws RefusedException {
        TrainingSettings s;
        try {
            s = JSON.treeToValue(result.get("settings"), TrainingSettings.class);
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(dir, "has unreadable settings");
        }
        if (s == null) throw damaged(dir, "has no settings");
        if (!s.problems().isEmpty()) throw damaged(dir, "has settings Kiln cannot use: " + s.problems().get(0));
        return s;
    }

    private static int intField(Path dir, JsonNode result, String key, int min) throws RefusedException {
        JsonNode n = result.get(key);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < min) {
            throw damaged(dir, "has no valid \"" + key + "\" (a whole number of at least " + min + ")");
        }
        return n.asInt();
    }

    private static String origin(JsonNode result, Path source) {
        int processes = result.path("processes").asInt(1);
        int maxBatches = result.path("max_batches").asInt(0);
        return "Trained with PyTorch " + result.path("torch").asText("?") + " on " + processes + " process"
                + (processes == 1 ? "" : "es") + " (" + result.path("device").asText("?") + ")"
                + (maxBatches > 0 ? ", at most " + maxBatches + " batches per epoch (a quick check)" : "")
                + "; imported from " + source.toAbsolutePath().normalize() + ".";
    }

    private static RefusedException damaged(Path dir, String problem) {
        return new RefusedException(dir.resolve(RESULT) + " " + problem + "; run train.py again to write it anew.");
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover .import- folder is not listed as a run
        }
    }
}
