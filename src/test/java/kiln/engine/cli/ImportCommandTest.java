package kiln.engine.cli;

import kiln.engine.importer.TorchModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln import makes a project that kiln summary counts as PyTorch does and kiln evaluate runs on its --data. */
class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void importedCnnSummarisesWithPyTorchsParameterCountAndEvaluatesOnMnist() throws Exception {
        Path out = dir.resolve("cnn");
        CliRun imported = CliRun.kiln("import", TorchModels.folder().resolve("cnn.onnx").toString(), "--out", out.toString(),
                "--data", "mnist-cnn");
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().contains("weights in run-1"), imported.out());

        CliRun summary = CliRun.kiln("summary", out.toString());
        assertEquals(0, summary.code(), summary.err());
        String total = String.format(java.util.Locale.ROOT, "Total params: %,d", TorchModels.torchParameters("cnn"));
        assertTrue(summary.out().contains(total), summary.out());

        CliRun evaluate = CliRun.kiln("evaluate", out.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("run-1"), evaluate.out());
    }

    @Test
    void anUnsupportedOperatorIsOneLineNamingTheNodeAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("bad");
        CliRun r = CliRun.kiln("import", TorchModels.folder().resolve("unsupported.onnx").toString(), "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("kiln: node '/Sin' (Sin): Kiln has no layer for the ONNX operator Sin"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownDataNameIsRefusedBeforeTheModelIsRead() throws Exception {
        CliRun r = CliRun.kiln("import", TorchModels.folder().resolve("mlp.onnx").toString(), "--out",
                dir.resolve("x").toString(), "--data", "no-such-data");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--data no-such-data is neither a sample"), r.err());
    }
}
