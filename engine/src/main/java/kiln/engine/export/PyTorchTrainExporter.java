package kiln.engine.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kiln.engine.data.Dataset;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.eval.TrainedModel;
import kiln.engine.nn.Param;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.engine.train.Batches;
import kiln.engine.train.LabelEncoding;
import kiln.engine.train.Trainer;
import kiln.engine.util.Progress;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a folder that trains the project's network with PyTorch, on one process or several with
 * DistributedDataParallel: model.py and weights.safetensors (as {@link PyTorchExporter}), data.npz (the splits
 * after Kiln's pipeline, fitted as Kiln fits it), kiln-training.json (settings, loss, parameter names),
 * train.py (the same for every project: it reads the JSON), requirements.txt and README.md. train.py's run
 * folder comes back into Kiln with {@link kiln.engine.train.RunImport}.
 */
public final class PyTorchTrainExporter {

    public static final String TRAIN = "train.py";
    public static final String DESCRIPTION = "kiln-training.json";
    public static final String DATA = "data.npz";
    public static final String FORMAT = "kiln-pytorch-training-1";
    /** The versions train.py was tested with: those of the PyTorch venv Kiln's tests use (.ci/run). */
    public static final String TORCH_VERSION = "2.13.0";
    public static final String NUMPY_VERSION = "2.4.6";
    public static final String SAFETENSORS_VERSION = "0.8.0";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PyTorchTrainExporter() { }

    /**
     * @param model the network with the weights training starts from (a new run's initial weights, or a run's) and
     *              the data as that run sees it, limited as {@link TrainedModel#limitTrain()} says
     */
    public static void export(TrainedModel model, Path folder, Progress progress) throws ExportException {
        if (model.data().encoding().numeric()) {
            throw new ExportException("The PyTorch training folder trains classes only so far; this project predicts a "
                    + "number (" + model.test().targetName() + "). Export the trained model to ONNX or PyTorch instead.");
        }
        Path target = folder.toAbsolutePath().normalize();
        if (Files.exists(target.resolve("run").resolve("metrics.csv"))) {
            throw new ExportException(target + " holds a run trained with train.py (run/); import it first (kiln runs "
                    + "import) or export into another folder, so that it is not replaced.");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, String> pythonNames = new LinkedHashMap<>();
        Preprocessing pre = Preprocessing.of(model.data().pipeline(), model.inputShape(), model.classNames())
                .orElseGet(() -> passThrough(model));
        String code = PyTorchExporter.modelCode(model, pre, weights, pythonNames, progress);
        List<Map<String, Object>> parameters = parameterTable(model, weights, pythonNames);
        progress.update(-1, "Collecting the prepared data");
        Npz data = data(model);
        Outputs.writeFolder(target, TRAIN, tmp -> {
            progress.update(-1, "Writing " + target.getFileName());
            Files.writeString(tmp.resolve(PyTorchExporter.MODEL), code, StandardCharsets.UTF_8);
            SafeTensors.write(tmp.resolve(PyTorchExporter.WEIGHTS), weights, Map.of("format", "pytorch"));
            data.write(tmp.resolve(DATA));
            progress.checkCancelled();
            Map<String, Object> description = description(model, parameters, sha256(tmp.resolve(DATA)));
            Files.writeString(tmp.resolve(DESCRIPTION), JSON.writeValueAsString(description) + "\n", StandardCharsets.UTF_8);
            try (InputStream in = PyTorchTrainExporter.class.getResourceAsStream(TRAIN)) {
                if (in == null) throw new IOException("train.py is missing from Kiln's jar");
                Files.write(tmp.resolve(TRAIN), in.readAllBytes());
            }
            Files.writeString(tmp.resolve("requirements.txt"), requirements(), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("README.md"), readme(model, description), StandardCharsets.UTF_8);
        });
        progress.update(1, "Exported to " + target);
    }

    static String requirements() {
        return "# The versions Kiln tested train.py with. On a GPU machine, install torch for its CUDA version\n"
                + "# (https://pytorch.org/get-started/locally/); the same torch version is best.\n"
                + "torch==" + TORCH_VERSION + "\nnumpy==" + NUMPY_VERSION + "\nsafetensors==" + SAFETENSORS_VERSION + "\n";
    }

    /**
     * Each Kiln parameter with the model.py state-dict entry it becomes. The entry must hold the parameter's
     * values unchanged, or the trained weights could not come back: merged LoRA adapters, say, do not.
     */
    private static List<Map<String, Object>> parameterTable(TrainedModel model, Map<String, Tensor> weights,
                                                            Map<String, String> pythonNames) throws ExportException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Param p : model.spec().params()) {
            int dot = p.name().lastIndexOf('.');
            String layer = p.name().substring(0, dot);
            String key = p.name().substring(dot + 1);
            String torchName = pythonNames.get(layer) + "." + key;
            Tensor t = weights.get(torchName);
            float[] kiln = model.weightsOf(layer).values(key);
            if (t == null || !Arrays.equals(t.floats(), kiln)) {
                var node = model.project().graph().node(layer);
                throw new ExportException(layer + " (" + node.type().displayName() + "): its " + key + " has no one-to-one "
                        + "PyTorch counterpart (adapters are merged into the layer for PyTorch), so weights trained in "
                        + "PyTorch could not come back into this project. Train it in Kiln, or use a plain layer.");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kiln", p.name());
            row.put("torch", torchName);
            row.put("shape", p.shape());
            row.put("learned", p.learned());
            row.put("decays", p.decays());
            row.put("rate_multiplier", p.learned() ? model.spec().rateMultiplier(p) : 0.0);
            out.add(row);
        }
        return out;
    }

    private static Map<String, Object> description(TrainedModel model, List<Map<String, Object>> parameters,
                                                   String dataSha256) throws IOException {
        TrainingSettings s = model.project().training();
        LabelEncoding encoding = model.data().encoding();
        Pipeline.Fitted pipeline = model.data().pipeline();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("project", model.project().name());
        m.put("model_class", PyTorchExporter.className(model.project().name()));
        m.put("start_weights", model.describe());
        m.put("settings", s);
        m.put("loss", encoding.loss().name());
        m.put("units", encoding.units());
        m.put("classes", model.classNames());
        m.put("limit_train", model.limitTrain());
        m.put("train_score_samples", Trainer.TRAIN_SCORE_SAMPLES);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("file", DATA);
        data.put("sha256", dataSha256);
        data.put("train", model.data().splits().train().size());
        data.put("validation", model.data().splits().validation().size());
        data.put("test", model.data().splits().test().size());
        data.put("pipeline", pipeline.describe());
        m.put("data", data);
        List<String> augmentation = pipeline.stages().stream().filter(Pipeline.Stage::isAugmentation)
                .map(st -> st.type().displayName() + ": " + st.fitted().describe()).toList();
        m.put("augmentation", Map.of("steps", augmentation, "reproduced", false));
        m.put("data_record", RunFolder.dataRecord(pipeline.describe(), model.project().split(), model.project().data()));
        m.put("parameters", parameters);
        return m;
    }

    /** The three splits after the pipeline (without augmentation), as float32 inputs and int64 labels. */
    private static Npz data(TrainedModel model) {
        Npz npz = new Npz();
        var splits = model.data().splits();
        add(npz, "train", splits.train());
        add(npz, "val", splits.validation());
        add(npz, "test", splits.test());
        return npz;
    }

    private static void add(Npz npz, String name, Dataset d) {
        npz.floats("x_" + name, d.features(), Batches.shape(d.sampleShape(), d.size()));
        long[] labels = new long[d.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = d.labels()[i];
        npz.longs("y_" + name, labels, labels.length);
    }

    /** For a pipeline model.py cannot repeat: preprocess() then passes values on, and says so. */
    private static Preprocessing passThrough(TrainedModel model) {
        int n = Math.toIntExact(model.inputShape().elementCount());
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        return new Preprocessing(ones, new float[n], List.of("none (Kiln's pipeline is not a plain scale and shift, "
                + "so preprocess() passes values unchanged; data.npz holds the data after the pipeline)"));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int r; (r = in.read(buffer)) > 0; ) md.update(buffer, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String readme(TrainedModel model, Map<String, Object> description) {
        TrainingSettings s = model.project().training();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) description.get("data");
        @SuppressWarnings("unchecked")
        List<String> augmentation = (List<String>) ((Map<String, Object>) description.get("augmentation")).get("steps");
        String augmentationNote = augmentation.isEmpty() ? "The project's pipeline has no augmentation."
                : "**Not reproduced:** the project augments its training images (" + String.join("; ", augmentation)
                + "). train.py trains on the images without augmentation, so its results can be a little below "
                + "Kiln's for the same settings.";
        return """
                # %s: training with PyTorch

                Exported from Kiln. This folder trains the project's network with PyTorch, on this computer or on a
                machine with a GPU or several, and Kiln brings the result back as one of the project's runs.

                | file | what it is |
                |---|---|
                | model.py | the network as a PyTorch module, with Kiln's layer names |
                | weights.safetensors | the weights training starts from: %s |
                | data.npz | the data after Kiln's pipeline (%s), fitted on the training split: %s training, %s validation, %s test samples |
                | kiln-training.json | optimizer, learning rate, schedule, epochs, batch size, L2, early stopping, seed; Kiln's parameter names |
                | train.py | the training script (plain PyTorch; DistributedDataParallel under torchrun) |
                | requirements.txt | the Python packages, pinned |

                ## Set up once

                    python3 -m venv venv
                    venv/bin/pip install -r requirements.txt

                On a GPU machine install the torch build for its CUDA version instead
                (https://pytorch.org/get-started/locally/), then `venv/bin/pip install numpy safetensors`.

                ## Train

                    venv/bin/python train.py                                   # CPU, or one GPU if PyTorch sees one
                    venv/bin/torchrun --nproc_per_node 2 train.py              # 2 processes (2 GPUs, or 2 CPU processes)
                    venv/bin/python train.py --epochs 1 --max-batches 20       # a quick check that everything runs

                Settings as in the project: %s, learning rate %s, %s schedule, %d epochs, batch size %d, L2 %s,
                early-stopping patience %d (0 = off), seed %d. The batch size is the **effective** one: with N processes each
                takes batch size / N samples per step, so the same settings train alike on any number of processes; train.py
                prints the effective batch size and learning rate at the start. `--batch-size`, `--lr` and `--epochs` change
                them (with a larger batch, a larger learning rate is usually right). `--out` names the run folder (default `run/`).

                %s

                On CPU torchrun uses the gloo backend, on GPUs NCCL, one GPU per process. On several machines use
                torchrun's `--nnodes`, `--node_rank` and `--rdzv_endpoint` options as your cluster's documentation says.

                ## What it writes

                `run/` holds `metrics.csv` (one row per epoch, in Kiln's format), `checkpoint.safetensors` (every epoch, with the
                optimizer state), `best.safetensors` (the epoch with the lowest validation loss) and `result.json`; the weights
                files use Kiln's parameter names. The last lines printed are the test accuracy.

                ## Back into Kiln

                    java -jar kiln.jar runs import <project folder> run

                (or Import run… in the Training view). The run then shows in the charts and history, and can be evaluated,
                explained and exported like one trained in Kiln; `kiln evaluate` uses the best epoch's weights, as the second
                test accuracy line of train.py does.
                """.formatted(model.project().name(), model.describe(), String.join("; ", model.data().pipeline().describe()),
                data.get("train"), data.get("validation"), data.get("test"), s.optimizer(), s.learningRate(), s.schedule(),
                s.epochs(), s.batchSize(), s.l2(), s.patience(), s.seed(), augmentationNote);
    }
}
