package kiln.engine.export;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.catalog.TorchModule;
import kiln.engine.catalog.UnsupportedExportException;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataLoader;
import kiln.engine.data.Dataset;
import kiln.engine.eval.TrainedModel;
import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.shape.TensorShape;
import kiln.engine.train.Batches;
import kiln.engine.util.Progress;
import kiln.engine.weights.SafeTensors;
import kiln.engine.weights.Tensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a trained network as a folder PyTorch can use without Kiln: model.py (an nn.Module with the same
 * layers and names, plus preprocess() and load_model()), weights.safetensors (the state dict: only data,
 * nothing that can run), test_data.npz (the raw test split) and evaluate.py. Each layer writes its own code through
 * {@link kiln.engine.catalog.LayerType#toPyTorch}.
 */
public final class PyTorchExporter {

    public static final String MODEL = "model.py";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String TEST_DATA = "test_data.npz";
    public static final String EVALUATE = "evaluate.py";
    private static final Set<String> RESERVED = Set.of("x", "self", "torch", "nn", "F", "np", "and", "as", "assert",
            "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
            "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
            "try", "while", "with", "yield", "False", "None", "True", "input", "super");

    private PyTorchExporter() { }

    public static void export(TrainedModel model, Path folder, Progress progress) throws ExportException {
        Preprocessing pre = Preprocessing.of(model.data().pipeline(), model.inputShape(), model.classNames())
                .orElseThrow(() -> new ExportException("The data pipeline has a step that is not a plain scale and shift ("
                        + String.join("; ", model.data().pipeline().describe()) + "), which preprocess() in model.py "
                        + "cannot repeat; export to ONNX instead, or change the pipeline."));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        String code = modelCode(model, pre, weights, progress);
        progress.update(-1, "Reading the test data");
        Dataset test;
        try {
            test = DataLoader.load(model.project().data(), model.folder(), model.project().split(), progress).test();
        } catch (DataFormatException e) {
            throw new ExportException("The test data cannot be read for evaluate.py: " + e.getMessage());
        }
        Npz testData = testData(test);
        Outputs.writeFolder(folder, MODEL, tmp -> {
            progress.update(-1, "Writing " + folder.getFileName());
            Files.writeString(tmp.resolve(MODEL), code, StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve(EVALUATE), evaluateCode(), StandardCharsets.UTF_8);
            SafeTensors.write(tmp.resolve(WEIGHTS), weights, Map.of("format", "pytorch"));
            testData.write(tmp.resolve(TEST_DATA));
        });
        progress.update(1, "Exported to " + folder);
    }

    static String modelCode(TrainedModel model, Preprocessing pre, Map<String, Tensor> weights, Progress progress) throws ExportException {
        return modelCode(model, pre, weights, new LinkedHashMap<>(), progress);
    }

    /** @param pythonNames receives each layer's attribute name in the module, by layer name */
    static String modelCode(TrainedModel model, Preprocessing pre, Map<String, Tensor> weights,
                            Map<String, String> pythonNames, Progress progress) throws ExportException {
        String className = className(model.project().name());
        String module = moduleCode(model.project().graph(), model.analysis(), model::exportWeightsOf, className, weights,
                pythonNames, progress);
        long[] sample = Batches.shape(model.inputShape(), 1);
        long[] dims = java.util.Arrays.copyOfRange(sample, 1, sample.length);
        weights.put("preprocess.scale", Tensor.f32(dims, pre.scale()));
        weights.put("preprocess.shift", Tensor.f32(dims, pre.shift()));
        return """
                \"""%s, exported from Kiln (%s).

                The network takes float32 tensors of shape %s and returns the Output layer's activations
                (%s). preprocess() turns raw values as Kiln reads them (pixels 0-255, channels first) into
                the network's input: %s.

                    from model import load_model, preprocess
                    model = load_model()  # reads weights.safetensors beside this file
                    probabilities = model(torch.from_numpy(preprocess(raw)))
                \"""
                from pathlib import Path

                import numpy as np
                import torch
                from safetensors.torch import load_file
                from torch import nn
                import torch.nn.functional as F

                HERE = Path(__file__).resolve().parent
                CLASSES = [%s]
                # Yes/no tasks: the second class is predicted when its probability is at least THRESHOLD.
                THRESHOLD = %s


                %s

                def load_model(weights=HERE / "%s"):
                    \"""The network with its trained weights, in inference mode (dropout off, BatchNorm running statistics).\"""
                    model = %s()
                    tensors = load_file(weights)
                    model.load_state_dict({key: tensors[key] for key in model.state_dict()})
                    return model.eval()


                def preprocess(raw, weights=HERE / "%s"):
                    \"""Raw values of shape (N, %s) to the network's input: raw * scale + shift, per value.\"""
                    tensors = load_file(weights)
                    return (np.asarray(raw, dtype=np.float32) * tensors["preprocess.scale"].numpy()
                            + tensors["preprocess.shift"].numpy()).astype(np.float32)
                """.formatted(model.project().name(), model.describe(), layout(model.inputShape()),
                outputKind(model), pre.describe(), classList(model.classNames()),
                model.threshold().map(t -> Double.toString(t.value())).orElse(model.classNames().size() == 2 ? "0.5" : "None"),
                module,
                WEIGHTS, className, WEIGHTS, String.join(", ", java.util.Arrays.stream(dims).mapToObj(Long::toString).toList()));
    }

    /**
     * The graph as an nn.Module class with the same layers and names; its state dict goes into {@code weights}.
     * @param weightsOf a layer's trained parameters, by layer name
     */
    static String moduleCode(ModelGraph graph, GraphAnalysis analysis, Function<String, LayerWeights> weightsOf,
                             String className, Map<String, Tensor> weights, Progress progress) throws ExportException {
        return moduleCode(graph, analysis, weightsOf, className, weights, new LinkedHashMap<>(), progress);
    }

    static String moduleCode(ModelGraph graph, GraphAnalysis analysis, Function<String, LayerWeights> weightsOf,
                             String className, Map<String, Tensor> weights, Map<String, String> pythonNames,
                             Progress progress) throws ExportException {
        StringBuilder init = new StringBuilder();
        StringBuilder forward = new StringBuilder();
        Map<String, String> var = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String name : analysis.order()) {
            progress.checkCancelled();
            Node node = graph.node(name);
            String py = identifier(name, taken);
            pythonNames.put(name, py);
            List<String> ins = new ArrayList<>();
            for (Edge e : graph.inputsOf(name)) ins.add(var.get(e.from()));
            if (ins.isEmpty()) ins.add("x");
            Module m = new Module(py, ins, weightsOf.apply(name), weights);
            String expr;
            try {
                expr = node.type().toPyTorch(m, analysis.get(name).inputShapes(), node.params());
            } catch (UnsupportedExportException e) {
                throw new ExportException(name + " (" + node.type().displayName() + "): " + e.getMessage() + ".");
            }
            if (m.constructor != null) {
                init.append("        self.").append(py).append(" = ").append(m.constructor).append("  # ")
                        .append(node.type().displayName()).append(", output ").append(analysis.get(name).shape())
                        .append('\n');
            }
            if (ins.contains(expr)) {
                var.put(name, expr); // passes its input through (the Input layer)
            } else {
                forward.append("        ").append(py).append(" = ").append(expr).append('\n');
                var.put(name, py);
            }
        }
        String out = var.get(graph.outputNode().orElseThrow().name());
        return "class " + className + "(nn.Module):\n    def __init__(self):\n        super().__init__()\n" + init
                + "\n    def forward(self, x):\n" + forward + "        return " + out + "\n";
    }

    static String evaluateCode() {
        return """
                \"""Runs the exported model on the test data exported with it and prints its accuracy.

                    python evaluate.py                  accuracy on test_data.npz
                    python evaluate.py probs.npy        also saves the class probabilities
                \"""
                import sys
                from pathlib import Path

                import numpy as np
                import torch

                HERE = Path(__file__).resolve().parent
                sys.path.insert(0, str(HERE))
                from model import CLASSES, THRESHOLD, load_model, preprocess  # noqa: E402


                def main():
                    data = np.load(HERE / "%s", allow_pickle=False)
                    inputs = data["inputs"]
                    model = load_model()
                    with torch.no_grad():
                        probabilities = model(torch.from_numpy(preprocess(inputs))).numpy()
                    if "targets" in data.files:  # a number to predict, in its own unit
                        targets, predicted = data["targets"].astype(np.float64), probabilities[:, 0].astype(np.float64)
                        r2 = 1 - np.sum((targets - predicted) ** 2) / np.sum((targets - targets.mean()) ** 2)
                        print(f"r2 {r2:.4f}  mse {np.mean((targets - predicted) ** 2):.4f}  "
                              f"mae {np.mean(np.abs(targets - predicted)):.4f} on {len(targets)} test samples")
                        if len(sys.argv) > 1:
                            np.save(sys.argv[1], probabilities)
                        return
                    labels = data["labels"]
                    if probabilities.shape[1] == 1:  # one yes/no unit: the second class's probability
                        predicted = (probabilities[:, 0] >= THRESHOLD).astype(np.int64)
                    elif THRESHOLD is not None:  # two classes, the second predicted from THRESHOLD on
                        predicted = (probabilities[:, 1] >= THRESHOLD).astype(np.int64)
                    else:
                        predicted = probabilities.argmax(axis=1)
                    print(f"accuracy {np.mean(predicted == labels):.4f} on {len(labels)} test samples "
                          f"({len(CLASSES)} classes)")
                    if len(sys.argv) > 1:
                        np.save(sys.argv[1], probabilities)


                if __name__ == "__main__":
                    main()
                """.formatted(TEST_DATA);
    }

    /** The raw test split; 8-bit values (pixels) as uint8 to keep the file small. */
    static Npz testData(Dataset test) {
        Npz npz = new Npz();
        long[] shape = Batches.shape(test.sampleShape(), test.size());
        float[] f = test.features();
        boolean bytes = true;
        for (float v : f) {
            if (v != Math.rint(v) || v < 0 || v > 255) {
                bytes = false;
                break;
            }
        }
        if (bytes) {
            byte[] b = new byte[f.length];
            for (int i = 0; i < f.length; i++) b[i] = (byte) (int) f[i];
            npz.bytes("inputs", b, shape);
        } else {
            npz.floats("inputs", f, shape);
        }
        if (test.numeric()) {
            npz.floats("targets", test.targets().clone(), test.size());
            return npz;
        }
        long[] labels = new long[test.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = test.labels()[i];
        npz.longs("labels", labels, labels.length);
        return npz;
    }

    private static String outputKind(TrainedModel m) {
        return m.analysis().get(m.outputNode().name()).shape().size() + " values per sample";
    }

    private static String layout(TensorShape s) {
        return switch (s.kind()) {
            case IMAGE -> "(N, " + s.channels() + ", " + s.height() + ", " + s.width() + ")";
            case VECTOR -> "(N, " + s.size() + ")";
            case SEQUENCE -> "(N, " + s.length() + ", " + s.features() + ")";
        };
    }

    private static String classList(List<String> names) {
        List<String> quoted = names.stream().map(n -> "\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
        return String.join(", ", quoted);
    }

    /** "MNIST CNN" → "MnistCnn". */
    static String className(String projectName) {
        StringBuilder sb = new StringBuilder();
        for (String word : projectName.split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) continue;
            sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        String s = sb.toString();
        return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "Net" + s : s;
    }

    /** A Python name for a layer: its own name where it is one, otherwise cleaned up; unique. */
    static String identifier(String name, Set<String> taken) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        if (s.isEmpty() || Character.isDigit(s.charAt(0)) || RESERVED.contains(s)) s = "layer_" + s;
        String candidate = s;
        for (int i = 2; !taken.add(candidate); i++) candidate = s + "_" + i;
        return candidate;
    }

    private static final class Module implements TorchModule {
        private final String name;
        private final List<String> inputs;
        private final LayerWeights layerWeights;
        private final Map<String, Tensor> tensors;
        String constructor;

        Module(String name, List<String> inputs, LayerWeights layerWeights, Map<String, Tensor> tensors) {
            this.name = name;
            this.inputs = List.copyOf(inputs);
            this.layerWeights = layerWeights;
            this.tensors = tensors;
        }

        @Override public String name() { return name; }
        @Override public List<String> inputs() { return inputs; }
        @Override public LayerWeights weights() { return layerWeights; }

        @Override
        public void module(String constructor) {
            if (this.constructor != null) throw new IllegalStateException(name + " declared two modules");
            this.constructor = constructor;
        }

        @Override
        public void tensor(String key, float[] values, long... shape) {
            tensors.put(name + "." + key, Tensor.f32(shape, values));
        }
    }

}
