package kiln.engine.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.util.AtomicFiles;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
 * checkpoint.safetensors (latest epoch, with optimizer state, so training can continue) and best.safetensors
 * (the epoch with the lowest validation loss), and epochs/epoch-N.safetensors (each epoch's weights, without optimizer
 * state, to look inside the network as it learned). Weights files hold only tensors named as PyTorch's state_dict;
 * the architecture always comes from project.json. Every file is replaced atomically.
 */
public final class RunFolder {

    public static final String RUNS = "runs";
    private static final Pattern RUN_NAME = Pattern.compile("run-(\\d+)");
    private static final String METRICS_HEADER =
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,learning_rate";
    /** Written in every weights file's metadata, so that another safetensors file is not mistaken for a run. */
    public static final String WEIGHTS_FORMAT = "kiln-weights-1";
    private static final String LOCK = "training.lock";
    private static final String THRESHOLD_FORMAT = "kiln-threshold";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    public static RunFolder open(Path dir) {
        return new RunFolder(dir);
    }

    /** Writes what a run folder needs to know its own id, before it is moved into place. */
    public interface Preparer {
        void prepare(String runId) throws IOException;
    }

    /**
     * Moves a run folder prepared elsewhere on the same disk (e.g. runs/.import-…) into place as the next
     * runs/run-N in one step, so that no half-made run is ever listed; {@code preparer} is told the id first.
     */
    public static RunFolder adopt(Path projectFolder, Path prepared, Preparer preparer) throws IOException {
        Path runs = projectFolder.resolve(RUNS);
        int next = list(projectFolder).stream().mapToInt(RunFolder::number).max().orElse(0) + 1;
        while (true) {
            Path dir = runs.resolve("run-" + next);
            if (!Files.exists(dir)) {
                preparer.prepare(dir.getFileName().toString());
                try {
                    Files.move(prepared, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    return new RunFolder(dir);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    // another process took it
                }
            }
            next++;
        }
    }

    /** Writes a data record as {@link #dataRecord} made it (e.g. kept by an export until its run comes back). */
    public void writeDataRecord(JsonNode record) throws IOException {
        AtomicFiles.write(dataRecordFile(), (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
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

    /**
     * A folder made in the last minute with no run.json yet: a run being set up ({@link #createNext} makes the folder
     * and the record follows at once), not a damaged one.
     */
    public boolean isBeingSetUp() {
        if (Files.exists(dir.resolve("run.json"))) return false;
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(dir).toMillis() < 60_000;
        } catch (IOException e) {
            return false;
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

    public Path checkpoint() { return dir.resolve("checkpoint.safetensors"); }

    public Path best() { return dir.resolve("best.safetensors"); }

    private static final String EPOCHS = "epochs";
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d{1,9})\\.safetensors");

    /** The weights of one epoch (counting from 1), as {@link #saveEpoch} wrote them. */
    public Path epochWeights(int epoch) { return dir.resolve(EPOCHS).resolve("epoch-" + epoch + ".safetensors"); }

    /** The epochs whose weights the run kept, in order; empty for runs from before Kiln kept them. */
    public List<Integer> savedEpochs() throws IOException {
        Path folder = dir.resolve(EPOCHS);
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(f -> EPOCH_FILE.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        }
    }

    /** Deeplearning4j's zip of earlier Kiln versions, which is never opened: reading one can run code. */
    private Path legacyCheckpoint() { return dir.resolve("checkpoint.zip"); }

    /** Whether the run saved a checkpoint in this format, so it can be evaluated and continued. */
    public boolean hasCheckpoint() {
        return Files.exists(checkpoint());
    }

    /** Whether the run saved weights (in this format or an older one). */
    public boolean hasWeights() {
        return Files.exists(checkpoint()) || Files.exists(legacyCheckpoint());
    }

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

    public Path thresholdFile() { return dir.resolve("threshold.json"); }

    /** Keeps the decision threshold chosen for this (yes/no) run; replaces the file atomically. */
    public void writeThreshold(DecisionThreshold threshold) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", THRESHOLD_FORMAT);
        m.put("positiveClass", threshold.positiveClass());
        m.put("threshold", threshold.value());
        AtomicFiles.write(thresholdFile(), (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The threshold saved for this run, or empty when none was saved (the more probable class wins). */
    public Optional<DecisionThreshold> readThreshold() throws IOException {
        Path file = thresholdFile();
        if (!Files.exists(file)) return Optional.empty();
        String where = RUNS + "/" + id() + "/" + file.getFileName();
        String fix = "; delete it, or save the threshold again from the Evaluation tab";
        if (Files.size(file) > 64 * 1024) throw new IOException(where + " is too large to be a threshold" + fix);
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON (" + e.getOriginalMessage() + ")" + fix, e);
        }
        if (n == null || !THRESHOLD_FORMAT.equals(n.path("format").asText()) || !n.path("threshold").isNumber()
                || !n.path("positiveClass").isTextual()) {
            throw new IOException(where + " is not a Kiln threshold file (it needs format \"" + THRESHOLD_FORMAT
                    + "\", positiveClass and threshold)" + fix);
        }
        try {
            return Optional.of(new DecisionThreshold(n.get("positiveClass").asText(), n.get("threshold").asDouble()));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage() + fix, e);
        }
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
        if (lines.isEmpty() || !lines.get(0).strip().equals(METRICS_HEADER)) {
            throw new IOException(metricsFile() + " is not a Kiln metrics file: its first line must be '"
                    + METRICS_HEADER + "'" + (lines.isEmpty() ? " but the file is empty" : ""));
        }
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] c = line.split(",", -1);
            try {
                if (c.length != 7) throw new IllegalArgumentException("7 columns expected");
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

    /** The latest epoch's weights and optimizer state, so that training can continue exactly. */
    public void saveCheckpoint(Parameters params, Optimizer optimizer, int epochs) throws IOException {
        Map<String, Tensor> tensors = weightTensors(params);
        optimizer.state().forEach((name, values) -> tensors.put(name, Tensor.f32(shapeOf(params, name), values)));
        SafeTensors.write(checkpoint(), tensors, Map.of("format", WEIGHTS_FORMAT, "epochs", Integer.toString(epochs),
                "optimizer", optimizer.kind().name(), "optimizerSteps", Long.toString(optimizer.steps())));
    }

    public void saveBest(Parameters params, int epoch) throws IOException {
        SafeTensors.write(best(), weightTensors(params), Map.of("format", WEIGHTS_FORMAT, "epochs", Integer.toString(epoch)));
    }

    /** One epoch's weights only (no optimizer state), for scrubbing through the run afterwards. */
    public void saveEpoch(Parameters params, int epoch) throws IOException {
        SafeTensors.write(epochWeights(epoch), weightTensors(params),
                Map.of("format", WEIGHTS_FORMAT, "epochs", Integer.toString(epoch)));
    }

    private static Map<String, Tensor> weightTensors(Parameters params) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Param p : params.params()) tensors.put(p.name(), Tensor.f32(p.shape(), toFloats(params.get(p))));
        return tensors;
    }

    private static long[] shapeOf(Parameters params, String optimizerKey) {
        String paramName = optimizerKey.substring(optimizerKey.indexOf('.', "optimizer.".length()) + 1);
        return params.params().stream().filter(p -> p.name().equals(paramName)).findFirst().orElseThrow().shape();
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /**
     * Reads the weights of a file into {@code params}, after checking every tensor's name and shape against the
     * network; a checkpoint's optimizer state is checked and skipped. Nothing is changed when the file is refused.
     * @return the epochs the weights were trained for
     */
    public int loadWeights(Path file, NetworkSpec spec, Parameters params) throws IOException {
        SafeTensors.Contents c = readChecked(file, spec);
        for (Param p : spec.params()) params.set(p, toDoubles(c.tensors().get(p.name()).floats()));
        return epochs(file, c);
    }

    /** Restores weights and optimizer state from the checkpoint; returns the epochs it holds. */
    public int loadCheckpoint(NetworkSpec spec, Parameters params, Optimizer optimizer) throws IOException {
        SafeTensors.Contents c = readChecked(checkpoint(), spec);
        if (!optimizer.kind().name().equals(c.metadata().get("optimizer"))) {
            throw new IOException(checkpoint() + " was saved with the " + c.metadata().get("optimizer")
                    + " optimizer, but the run continues with " + optimizer.kind() + "; start a new run instead");
        }
        for (Param p : spec.params()) params.set(p, toDoubles(c.tensors().get(p.name()).floats()));
        Map<String, float[]> state = new LinkedHashMap<>();
        Optimizer.stateShapes(optimizer.kind(), spec.params()).keySet()
                .forEach(name -> state.put(name, c.tensors().get(name).floats()));
        optimizer.restore(parseCount(checkpoint(), c, "optimizerSteps"), state);
        return epochs(checkpoint(), c);
    }

    private SafeTensors.Contents readChecked(Path file, NetworkSpec spec) throws IOException {
        if (!Files.exists(file) && Files.exists(legacyCheckpoint())) {
            throw new IOException(id() + " was trained by an earlier Kiln, which saved its weights as a Deeplearning4j zip; "
                    + "Kiln no longer opens those, because reading one can run code. Train the project again.");
        }
        Map<String, String> metadata = SafeTensors.readMetadata(file);
        if (!WEIGHTS_FORMAT.equals(metadata.get("format"))) {
            throw new IOException(file + " is not a Kiln weights file (its metadata has no \"format\": \""
                    + WEIGHTS_FORMAT + "\"); train the run again");
        }
        Map<String, long[]> inFile = SafeTensors.shapes(file);
        for (Param p : spec.params()) {
            long[] saved = inFile.get(p.name());
            if (saved == null || !Arrays.equals(saved, p.shape())) throw new DifferentNetworkException(id(), p.name(), saved, p.shape());
        }
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (Param p : spec.params()) expected.put(p.name(), p.shape());
        String optimizer = metadata.get("optimizer");
        if (optimizer != null) {
            Optimizer.Kind kind;
            try {
                kind = Optimizer.Kind.valueOf(optimizer);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " names an unknown optimizer '" + optimizer + "'; train the run again");
            }
            expected.putAll(Optimizer.stateShapes(kind, spec.params()));
        }
        return SafeTensors.read(file, expected);
    }

    private static int epochs(Path file, SafeTensors.Contents c) throws IOException {
        return Math.toIntExact(parseCount(file, c, "epochs"));
    }

    private static long parseCount(Path file, SafeTensors.Contents c, String key) throws IOException {
        try {
            long v = Long.parseLong(c.metadata().getOrDefault(key, ""));
            if (v < 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(file + " has no valid \"" + key + "\" count in its metadata; train the run again");
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** A run's weights that do not fit the project's network: a layer was added, removed or changed since. */
    public static final class DifferentNetworkException extends IOException {
        private final String tensor;
        private final long[] inRun;
        private final long[] inProject;

        DifferentNetworkException(String runId, String tensor, long[] inRun, long[] inProject) {
            super(runId + " was trained on a different network: " + tensor + " is "
                    + (inRun == null ? "missing" : Arrays.toString(inRun)) + " in the run but "
                    + Arrays.toString(inProject) + " in the project now. Train again, or undo the network changes.");
            this.tensor = tensor;
            this.inRun = inRun;
            this.inProject = inProject;
        }

        /** The layer the tensor belongs to ("conv1" of "conv1.weight"). */
        public String layer() { return tensor.substring(0, tensor.lastIndexOf('.')); }

        public String tensor() { return tensor; }

        /** The tensor's shape in the run's file, or null when it has none. */
        public long[] inRun() { return inRun == null ? null : inRun.clone(); }

        public long[] inProject() { return inProject.clone(); }
    }

    /**
     * Holds the run's lock while it trains, so that a run whose process ended without finishing can be told
     * from one that is training (see {@link #readCurrentRecord}).
     */
    public Lease lease() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) throw new IOException(id() + " is being trained by another Kiln process");
            return new Lease(channel);
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException(id() + " is already training", e);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The lock of a training run; closing it releases the lock. */
    public static final class Lease implements AutoCloseable {
        private final FileChannel channel;

        private Lease(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Whether some process holds this run's lock now. */
    private boolean isTraining() {
        if (!Files.exists(dir.resolve(LOCK))) return false;
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The record as the student should see it: a run recorded as running whose process ended (closed, killed,
     * crashed) is shown as interrupted, and can be continued from its last saved epoch.
     */
    public RunRecord readCurrentRecord() throws IOException {
        RunRecord r = readRecord();
        if (!"running".equals(r.status()) || isTraining()) return r;
        String saved = r.epochsCompleted() == 0 ? "no epoch had finished, so there is nothing to continue."
                : "epoch " + r.epochsCompleted() + " is saved and can be continued.";
        return r.withEnding("interrupted", r.seconds(), r.testLoss(), r.testAccuracy(),
                "The process training this run ended before it finished; " + saved);
    }
}
