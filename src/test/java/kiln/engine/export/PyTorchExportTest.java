package kiln.engine.export;

import kiln.engine.PythonWith;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported model.py, weights.safetensors and evaluate.py run in a real PyTorch on the whole test split and
 * give Kiln's probabilities. Needs a Python with torch, numpy and safetensors (which model.py reads the weights
 * with): KILN_TORCH_PYTHON, /tmp/torch-venv/bin/python or python3; skipped with instructions when there is none.
 */
class PyTorchExportTest {

    static final String HOW_TO_ENABLE = "No Python with torch, numpy and safetensors was found, so the PyTorch export is not run. "
            + "Enable this test with: python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install "
            + "torch==2.13.0+cpu numpy safetensors (or set KILN_TORCH_PYTHON to a Python that has all three).";

    static final String python = torchPython().orElse(null);

    @TempDir
    Path dir;

    /** A Python that has torch, numpy and safetensors. */
    static Optional<String> torchPython() {
        return PythonWith.find("import torch, numpy, safetensors");
    }

    @Test
    void mnistCnnRunsInPyTorchLikeInKiln() throws Exception {
        Project p = TrainedProjects.trainedSample("mnist-cnn", dir, 1000);
        Path out = roundTrip(p);
        String code = Files.readString(out.resolve(PyTorchExporter.MODEL));
        assertTrue(code.contains("class MnistCnn(nn.Module):"), code);
        assertTrue(code.contains("self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1)"), code);
        assertTrue(code.contains("self.dense1 = nn.Linear(576, 64)"), code);
        assertTrue(code.indexOf("conv1 = F.relu(self.conv1(x))") < code.indexOf("pool1 = self.pool1(conv1)"),
                "layers in forward order:\n" + code);
    }

    @Test
    void residualNetworkRunsInPyTorchLikeInKiln() throws Exception {
        Project p = TrainedProjects.residual(dir);
        TrainedProjects.train(p, dir, 1000);
        String code = Files.readString(roundTrip(p).resolve(PyTorchExporter.MODEL));
        assertTrue(code.contains("add1 = (act1 + c1)"), code);
        assertTrue(code.contains("torch.cat([c3, pool_a], dim=1)"), code);
    }

    @Test
    void aFineTunedModelWithAFrozenLayerAndMergedLoraAdaptersRunsInPyTorchLikeInKiln() throws Exception {
        Project p = TrainedProjects.fineTuned(dir);
        TrainedProjects.train(p, dir, 1000);
        String code = Files.readString(roundTrip(p).resolve(PyTorchExporter.MODEL));
        assertTrue(code.contains("self.dense2 = nn.Linear(256, 128)"), "the adapters are merged into a plain layer:\n" + code);
    }

    private Path roundTrip(Project p) throws Exception {
        Assumptions.assumeTrue(python != null, HOW_TO_ENABLE);
        TrainedModel model = TrainedModel.load(p, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
        Path out = dir.resolve("export/pytorch");
        PyTorchExporter.export(model, out, Progress.NONE);

        Path probsFile = dir.resolve("probs.npy");
        Process proc = new ProcessBuilder(python, out.resolve(PyTorchExporter.EVALUATE).toString(), probsFile.toString())
                .redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "evaluate.py did not finish");
        assertEquals(0, proc.exitValue(), printed);

        Evaluation kiln = Evaluator.evaluate(model, Progress.NONE);
        float[] torch = readNpy(probsFile);
        assertEquals(kiln.probabilities().length, torch.length);
        double maxDiff = 0;
        for (int i = 0; i < torch.length; i++) maxDiff = Math.max(maxDiff, Math.abs(torch[i] - kiln.probabilities()[i]));
        System.out.println(p.name() + ": max |Kiln − PyTorch| = " + maxDiff + " over " + kiln.size() + " test samples");
        assertTrue(maxDiff <= 1e-4, "max |Kiln − PyTorch| = " + maxDiff);
        int k = kiln.classCount();
        for (int i = 0; i < kiln.size(); i++) {
            assertEquals(kiln.predicted(i), OnnxRoundTripTest.argmax(torch, i, k), "class of test sample " + i);
        }
        assertTrue(printed.contains(String.format(Locale.ROOT, "accuracy %.4f on %d test samples", kiln.accuracy(), kiln.size())),
                printed);
        return out;
    }

    /** A little-endian float32 .npy file as written by numpy.save. */
    static float[] readNpy(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getShort(8) & 0xffff;
        String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'<f4'"), header);
        int offset = 10 + headerLength;
        float[] out = new float[(all.length - offset) / 4];
        b.position(offset);
        b.asFloatBuffer().get(out);
        return out;
    }

}
