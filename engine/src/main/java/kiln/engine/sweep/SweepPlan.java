package kiln.engine.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep's trials and how far it got, kept as runs/sweep-ID.json and rewritten atomically after every trial, so an
 * interrupted sweep (cancelled, or the process killed) resumes where it stopped.
 * @param id      sweep-XXXXXXXX, from what the sweep varies and the project it varies (the same sweep gets the same id)
 * @param params  the parameters as given (training.learningRate=0.0003,0.001)
 * @param random  random trials asked for, 0 for a grid
 */
public record SweepPlan(String id, List<String> params, int random, long seed, int limitTrain, List<SweepTrial> trials) {

    public static final String FORMAT = "kiln-sweep";
    static final int FORMAT_VERSION = 1;
    /** Far more than a thousand trials take; a larger file is not a plan. */
    private static final long MAX_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SweepPlan {
        params = List.copyOf(params);
        trials = List.copyOf(trials);
    }

    public static Path file(Path projectFolder, String id) {
        return projectFolder.resolve(kiln.engine.runs.RunFolder.RUNS).resolve(id + ".json");
    }

    SweepPlan with(SweepTrial trial) {
        List<SweepTrial> t = new ArrayList<>(trials);
        t.set(trial.number() - 1, trial);
        return new SweepPlan(id, params, random, seed, limitTrain, t);
    }

    public long finishedCount() {
        return trials.stream().filter(SweepTrial::finished).count();
    }

    /** The done trial with the lowest validation loss (the earlier one on a tie). */
    public Optional<SweepTrial> best() {
        return trials.stream().filter(SweepTrial::done).min(Comparator.comparingDouble(SweepTrial::validationLoss));
    }

    void save(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("id", id);
        ArrayNode p = root.putArray("params");
        params.forEach(p::add);
        root.put("random", random);
        root.put("seed", seed);
        root.put("limitTrain", limitTrain);
        ArrayNode list = root.putArray("trials");
        for (SweepTrial t : trials) {
            ObjectNode o = list.addObject();
            o.put("trial", t.number());
            ObjectNode values = o.putObject("values");
            t.values().forEach((k, v) -> values.set(k, JSON.valueToTree(v)));
            o.put("status", t.status());
            if (t.run() != null) o.put("run", t.run());
            if (t.done()) {
                o.put("bestEpoch", t.bestEpoch());
                o.put("validationLoss", t.validationLoss());
                o.put("validationAccuracy", t.validationAccuracy());
                o.put("testLoss", t.testLoss());
                o.put("testAccuracy", t.testAccuracy());
                o.put("seconds", t.seconds());
            }
            if (t.message() != null) o.put("message", t.message());
        }
        AtomicFiles.write(file, (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a plan; every problem names the file and says to delete it to start afresh. */
    static SweepPlan load(Path file) throws SweepSpecException, IOException {
        String afresh = "; delete it to start the sweep afresh.";
        if (Files.size(file) > MAX_BYTES) throw new SweepSpecException(file + " is larger than a sweep plan can be" + afresh);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SweepSpecException(file + " is not valid JSON (" + e.getOriginalMessage() + ")" + afresh);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new SweepSpecException(file + " is not a Kiln sweep plan" + afresh);
        }
        if (root.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new SweepSpecException(file + " was written by another version of Kiln" + afresh);
        }
        List<String> params = new ArrayList<>();
        root.path("params").forEach(n -> params.add(n.asText()));
        List<SweepTrial> trials = new ArrayList<>();
        for (JsonNode t : root.path("trials")) {
            int number = t.path("trial").asInt();
            String status = t.path("status").asText();
            if (number != trials.size() + 1 || !List.of(SweepTrial.PENDING, SweepTrial.DONE, SweepTrial.FAILED).contains(status)
                    || !t.path("values").isObject()) {
                throw new SweepSpecException(file + ": trial " + (trials.size() + 1) + " is damaged" + afresh);
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.path("values").fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue();
                values.put(e.getKey(), v.isIntegralNumber() ? (v.canConvertToInt() ? (Object) v.asInt() : (Object) v.asLong()) : v.isNumber() ? (Object) v.asDouble()
                        : v.isBoolean() ? (Object) v.asBoolean() : v.asText());
            }
            String run = t.hasNonNull("run") ? t.get("run").asText() : null;
            String message = t.hasNonNull("message") ? t.get("message").asText() : null;
            trials.add(new SweepTrial(number, values, status, run, t.path("bestEpoch").asInt(),
                    number(t, "validationLoss"), number(t, "validationAccuracy"), number(t, "testLoss"),
                    number(t, "testAccuracy"), number(t, "seconds"), message));
        }
        return new SweepPlan(root.path("id").asText(), params, root.path("random").asInt(), root.path("seed").asLong(),
                root.path("limitTrain").asInt(), trials);
    }

    private static double number(JsonNode t, String key) {
        JsonNode n = t.get(key);
        return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
