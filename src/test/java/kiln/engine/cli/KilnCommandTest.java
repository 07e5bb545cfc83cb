package kiln.engine.cli;

import kiln.engine.data.BundledData;
import kiln.engine.runs.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KilnCommandTest {

    @TempDir
    Path dir;

    private Path copyOfSample(String name) throws Exception {
        Path sample = BundledData.sampleProjectsFolder().orElseThrow().resolve(name);
        Path copy = Files.createDirectories(dir.resolve(name));
        Files.copy(sample.resolve("project.json"), copy.resolve("project.json"));
        return copy;
    }

    @Test
    void summaryPrintsTheKerasTable() throws Exception {
        CliRun r = kiln("summary", copyOfSample("mnist-cnn").toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv1 (Conv2D)     26×26×32          320  input"), r.out());
        assertTrue(r.out().contains("Total params: 93,322"), r.out());
    }

    @Test
    void trainPrintsEpochsAndTestAccuracyAndRecordsTheRun() throws Exception {
        Path project = copyOfSample("mnist-mlp");

        CliRun r = kiln("train", project.toString(), "--epochs", "1", "--limit-train", "500", "--seed", "3");

        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("Data: 500 training, 6000 validation, 10000 test samples of 28×28×1, 10 classes"), r.out());
        assertTrue(r.out().matches("(?s).*\\nepoch 1  loss \\d\\.\\d{4}  accuracy 0\\.\\d{4}  val_loss .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\ntest accuracy: 0\\.\\d{4}\\n"), "last line is the test accuracy: " + r.out());
        assertEquals(1, RunFolder.list(project).size());
        assertEquals(3, RunFolder.list(project).get(0).readRecord().settings().seed());
    }

    @Test
    void errorsAreOneReadableLineAndANonZeroExit() throws Exception {
        CliRun missing = kiln("train", dir.resolve("nothing-here").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("kiln: ") && missing.err().contains("is not a project folder"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Files.writeString(dir.resolve("project.json"), "{ broken");
        CliRun broken = kiln("summary", dir.toString());
        assertEquals(1, broken.code());
        assertTrue(broken.err().startsWith("kiln: ") && broken.err().contains("is not valid JSON"), broken.err());

        CliRun badOption = kiln("train", dir.toString(), "--epochs", "many");
        assertTrue(badOption.code() != 0);
        assertTrue(badOption.err().contains("Invalid value for option '--epochs'"), badOption.err());

        CliRun zero = kiln("train", copyOfSample("mnist-cnn").toString(), "--epochs", "0");
        assertEquals(1, zero.code());
        assertTrue(zero.err().contains("Epochs is 0; use 1 to 10000."), zero.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"train", "summary", "bench"}) {
            CliRun r = kiln(command, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("Usage: kiln " + command), r.out());
        }
        assertTrue(kiln("--help").out().contains("Run without a command to open the app."));
    }
}
