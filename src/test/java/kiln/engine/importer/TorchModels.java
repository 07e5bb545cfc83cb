package kiln.engine.importer;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX models make_models.py writes with PyTorch's own torch.onnx.export, made once per test run. Needs a
 * Python with torch and onnx (KILN_TORCH_PYTHON or /tmp/torch-venv/bin/python); skipped without one, except under
 * CI=true, where a missing PyTorch is a failure.
 */
public final class TorchModels {

    private static final String HOW_TO_ENABLE = "No Python with torch and onnx was found, so the ONNX import of PyTorch "
            + "models is not tested. Enable it with: python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install "
            + "torch==2.13.0+cpu onnx (or set KILN_TORCH_PYTHON to a Python that has both).";
    private static Path folder;

    private TorchModels() { }

    /** The folder with cnn.onnx, mlp.onnx, unsupported.onnx and each one's cnn.json (PyTorch's parameter count). */
    public static synchronized Path folder() throws IOException, InterruptedException {
        if (folder != null) return folder;
        String python = python();
        if (python == null) {
            if ("true".equals(System.getenv("CI"))) Assertions.fail(HOW_TO_ENABLE);
            Assumptions.assumeTrue(false, HOW_TO_ENABLE);
        }
        Path dir = Files.createTempDirectory("kiln-torch-onnx-");
        Path script = dir.resolve("make_models.py");
        try (InputStream in = TorchModels.class.getResourceAsStream("make_models.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(python, script.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assertions.assertTrue(p.waitFor(120, TimeUnit.SECONDS), "make_models.py did not finish:\n" + log);
        Assertions.assertEquals(0, p.exitValue(), "make_models.py failed:\n" + log);
        folder = dir;
        return dir;
    }

    /** PyTorch's count of a model's parameters and BatchNorm running statistics, as make_models.py wrote it. */
    public static long torchParameters(String model) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("\"parameters\":\\s*(\\d+)").matcher(Files.readString(folder().resolve(model + ".json")));
        Assertions.assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static String python() {
        for (String candidate : new String[] {System.getenv("KILN_TORCH_PYTHON"), "/tmp/torch-venv/bin/python"}) {
            if (candidate == null || candidate.isBlank()) continue;
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }
}
