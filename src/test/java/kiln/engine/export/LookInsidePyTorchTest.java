package kiln.engine.export;

import kiln.engine.data.Dataset;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Kiln shows inside a trained network, against PyTorch on the exported model with the same weights: every
 * layer's output for one sample, Grad-CAM of a class (the map at the layer's resolution and brought to the image's
 * size) and the class logit's gradient at the input. PyTorch reads the values from forward()'s own variables and
 * takes gradients with autograd.
 */
class LookInsidePyTorchTest {

    /** max|kiln − torch| ≤ TOLERANCE · max|torch|, per tensor. */
    private static final double TOLERANCE = 1e-4;

    static final String python = PyTorchExportTest.torchPython().orElse(null);

    @TempDir
    Path dir;

    @Test
    void mnistCnnLayersGradCamAndInputGradientMatchPyTorch() throws Exception {
        Project p = TrainedProjects.trainedSample("mnist-cnn", dir, 1000);
        compare(p, 4, null);
    }

    @Test
    void residualNetworkMatchesPyTorchAtAMergedLayer() throws Exception {
        Project p = TrainedProjects.residual(dir);
        TrainedProjects.train(p, dir, 1000);
        compare(p, 2, "add1"); // a layer read by two others: its gradient is the sum of both
    }

    private void compare(Project p, int cls, String layer) throws Exception {
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        TrainedModel model = TrainedModel.load(p, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
        Path export = dir.resolve("export");
        PyTorchExporter.export(model, export, Progress.NONE);
        Dataset raw = TrainedProjects.rawTest(p, dir);
        float[] sample = Arrays.copyOfRange(raw.features(), 0, raw.sampleLength());
        Npz input = new Npz();
        input.floats("raw", sample, 1, 1, 28, 28);
        Path inputFile = dir.resolve("input.npz");
        input.write(inputFile);

        Predictor predictor = new Predictor(model);
        Predictor.Heatmap cam = predictor.gradCam(sample, cls, layer);
        Path script = dir.resolve("inside.py");
        try (InputStream in = getClass().getResourceAsStream("inside.py")) {
            Files.copy(in, script);
        }
        Path out = Files.createDirectories(dir.resolve("torch"));
        Process proc = new ProcessBuilder(python, script.toString(), export.toString(), inputFile.toString(),
                Integer.toString(cls), cam.coarse().layer(), model.outputNode().name(), out.toString())
                .redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), "inside.py did not finish");
        assertEquals(0, proc.exitValue(), printed);

        int compared = 0;
        for (Predictor.LayerOutput l : predictor.layerOutputs(sample)) {
            String name = l.layer().equals(model.project().graph().inputNode().orElseThrow().name()) ? "x" : l.layer();
            Path file = out.resolve("act_" + name + ".npy");
            assertTrue(Files.exists(file), "PyTorch's forward() has no value " + name + ": " + printed);
            assertClose(PyTorchExportTest.readNpy(file), l.values(), "output of " + l.layer());
            compared++;
        }
        assertEquals(model.project().graph().nodes().size(), compared, "every layer compared");
        assertClose(PyTorchExportTest.readNpy(out.resolve("cam.npy")), cam.coarse().values(), "Grad-CAM at " + cam.coarse().layer());
        assertClose(PyTorchExportTest.readNpy(out.resolve("cam_up.npy")), cam.map(), "Grad-CAM at the image's size");
        float[] seed = new float[10];
        seed[cls] = 1;
        assertClose(PyTorchExportTest.readNpy(out.resolve("grad.npy")),
                model.network().inputGradient(predictor.preprocess(sample), 1, seed), "the input's gradient");
    }

    private static void assertClose(float[] torch, float[] kiln, String what) {
        assertEquals(torch.length, kiln.length, what + ": number of values");
        double max = 0;
        double diff = 0;
        for (int i = 0; i < torch.length; i++) {
            max = Math.max(max, Math.abs(torch[i]));
            diff = Math.max(diff, Math.abs(torch[i] - kiln[i]));
        }
        assertTrue(max > 0, what + " is all zeros in PyTorch, which compares nothing");
        assertTrue(diff <= TOLERANCE * max, what + ": max |Kiln − PyTorch| = " + diff + " against max |PyTorch| = " + max);
    }
}
