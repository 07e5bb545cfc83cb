package kiln.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.PythonWith;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kiln's weights files and those of the safetensors library read each other. Needs a Python with safetensors
 * and numpy: KILN_TORCH_PYTHON, /tmp/torch-venv/bin/python or python3; skipped with instructions when there is none.
 */
class SafeTensorsPythonTest {

    static final String HOW_TO_ENABLE = "No Python with safetensors and numpy was found, so the safetensors "
            + "interoperability test is not run. Enable this test with: python3 -m venv /tmp/torch-venv && "
            + "/tmp/torch-venv/bin/pip install safetensors==0.8.0 numpy (or set KILN_TORCH_PYTHON to a Python that has both).";

    /** Prints what safetensors.numpy.load_file reads from argv[1], as JSON on the last line. */
    private static final String LOAD = """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            tensors = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="numpy") as f:
                metadata = f.metadata()
            print(json.dumps({"metadata": metadata, "tensors": {name: {"dtype": str(a.dtype), "shape": list(a.shape),
                    "values": a.ravel().tolist()} for name, a in tensors.items()}}))
            """;

    /** Writes argv[1] with safetensors.numpy.save_file. */
    private static final String SAVE = """
            import sys
            import numpy as np
            from safetensors.numpy import save_file
            save_file({
                "conv1.weight": (np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2) - 12) / 8,
                "dense1.bias": np.array([0.1, -2.5, 1e-300], dtype=np.float64),
                "steps": np.array([[-2**63, 2**63 - 1], [0, 42]], dtype=np.int64),
                "scale": np.array(0.5, dtype=np.float32),
                "empty": np.zeros((0, 3), dtype=np.float32),
            }, sys.argv[1], metadata={"written_by": "numpy", "epoch": "3"})
            """;

    static final String python = PythonWith.find("import safetensors.numpy, numpy").orElse(null);

    @TempDir
    Path dir;


    @Test
    void pythonReadsWhatKilnWrites() throws Exception {
        Assumptions.assumeTrue(python != null, HOW_TO_ENABLE);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", Tensor.f32(new long[] {2, 1, 1, 3}, new float[] {0.1f, -1.5f, 3e38f, 1e-45f, 0, -7}));
        tensors.put("dense1.bias", Tensor.f64(new long[] {2}, new double[] {Math.PI, -1e300}));
        tensors.put("steps", Tensor.i64(new long[] {3}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1}));
        tensors.put("scale", Tensor.f32(new long[] {}, new float[] {0.25f}));
        tensors.put("empty", Tensor.f64(new long[] {0, 4}, new double[0]));
        Map<String, String> metadata = Map.of("epoch", "12", "note", "Grüße ✓");
        Path file = dir.resolve("kiln.safetensors");
        SafeTensors.write(file, tensors, metadata);

        String printed = runPython(LOAD, file.toString());
        JsonNode read = new ObjectMapper().readTree(printed.strip().lines().reduce((first, last) -> last).orElseThrow());

        assertEquals(metadata, new ObjectMapper().convertValue(read.get("metadata"), Map.class));
        JsonNode loaded = read.get("tensors");
        assertEquals(tensors.size(), loaded.size(), printed);
        tensors.forEach((name, tensor) -> {
            JsonNode array = loaded.get(name);
            assertEquals(numpyName(tensor.dtype()), array.get("dtype").asText(), name);
            assertArrayEquals(tensor.shape(), longs(array.get("shape")), name);
            JsonNode values = array.get("values");
            switch (tensor.dtype()) {
                case F32 -> {
                    float[] fromPython = new float[values.size()];
                    for (int i = 0; i < fromPython.length; i++) fromPython[i] = (float) values.get(i).doubleValue();
                    assertArrayEquals(tensor.floats(), fromPython, name);
                }
                case F64 -> {
                    double[] fromPython = new double[values.size()];
                    for (int i = 0; i < fromPython.length; i++) fromPython[i] = values.get(i).doubleValue();
                    assertArrayEquals(tensor.doubles(), fromPython, name);
                }
                case I64 -> assertArrayEquals(tensor.longs(), longs(values), name);
            }
        });
    }

    @Test
    void kilnReadsWhatPythonWrites() throws Exception {
        Assumptions.assumeTrue(python != null, HOW_TO_ENABLE);
        Path file = dir.resolve("numpy.safetensors");
        runPython(SAVE, file.toString());

        Map<String, long[]> expected = Map.of("conv1.weight", new long[] {2, 3, 2, 2}, "dense1.bias", new long[] {3},
                "steps", new long[] {2, 2}, "scale", new long[] {}, "empty", new long[] {0, 3});
        SafeTensors.Contents read = SafeTensors.read(file, expected);

        float[] conv = new float[24];
        for (int i = 0; i < conv.length; i++) conv[i] = (i - 12) / 8f;
        assertEquals(Tensor.f32(new long[] {2, 3, 2, 2}, conv), read.tensors().get("conv1.weight"));
        assertEquals(Tensor.f64(new long[] {3}, new double[] {0.1, -2.5, 1e-300}), read.tensors().get("dense1.bias"));
        assertEquals(Tensor.i64(new long[] {2, 2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, 42}), read.tensors().get("steps"));
        assertEquals(Tensor.f32(new long[] {}, new float[] {0.5f}), read.tensors().get("scale"));
        assertEquals(Tensor.f32(new long[] {0, 3}, new float[0]), read.tensors().get("empty"));
        assertEquals(Map.of("written_by", "numpy", "epoch", "3"), read.metadata());
    }

    private static String runPython(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, "-c", script));
        command.addAll(List.of(args));
        Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, proc.exitValue(), printed);
        return printed;
    }

    private static String numpyName(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
        };
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).longValue();
        return values;
    }
}
