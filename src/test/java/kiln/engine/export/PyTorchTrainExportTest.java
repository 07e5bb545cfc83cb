package kiln.engine.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.train.RunImport;
import kiln.engine.util.Progress;
import kiln.engine.weights.SafeTensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PyTorch training folder trains in real PyTorch, with one process and as DDP with two (gloo), and its run
 * comes back into Kiln evaluating to the test accuracy train.py printed. The small tabular sample carries the
 * plumbing (two processes, L2, a one-unit sigmoid); the MNIST CNN sample runs a few batches.
 * Needs the torch venv (see PyTorchExportTest); under CI=true a missing one fails instead of skipping.
 */
class PyTorchTrainExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() {
        python = PyTorchExportTest.torchPython().orElse(null);
        if (python == null && "true".equals(System.getenv("CI"))) fail(PyTorchExportTest.HOW_TO_ENABLE);
    }

    @Test
    void theTabularSampleTrainsOnOneAndOnTwoProcessesAndComesBackWithTheSameTestAccuracy() throws Exception {
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        Project p = TrainedProjects.copySample("tabular-binary", dir);
        p.setTraining(p.training().withEpochs(2));
        kiln.engine.project.ProjectIO.save(p, dir);
        Path out = dir.resolve("exports/torch");
        PyTorchTrainExporter.export(TrainedModel.untrained(p, dir, 0, Progress.NONE), out, Progress.NONE);

        String one = run(out, List.of(python, "train.py", "--out", "one"));
        assertTrue(one.contains("effective batch size 32 (32 per process x 1); learning rate 0.001"), one);
        String two = run(out, List.of(python, "-m", "torch.distributed.run", "--nproc_per_node", "2", "train.py", "--out", "two"));
        assertTrue(two.contains("effective batch size 32 (16 per process x 2); learning rate 0.001"), two);

        for (String name : List.of("one", "two")) {
            JsonNode result = JSON.readTree(out.resolve(name).resolve(RunImport.RESULT).toFile());
            assertEquals(name.equals("one") ? 1 : 2, result.get("processes").asInt());
            assertEquals(2, RunFolder.open(out.resolve(name)).readMetrics().size(), "one metrics row per epoch");
            assertRequirementsAreTheVenvs(out, result);
            var meta = SafeTensors.readMetadata(out.resolve(name).resolve("checkpoint.safetensors"));
            assertEquals("ADAM", meta.get("optimizer"), "the checkpoint carries Adam's state as Kiln names it");
            RunFolder run = RunImport.importRun(p, dir, out.resolve(name));
            double kiln = Evaluator.evaluate(TrainedModel.load(p, dir, run.id(), TrainedModel.Weights.BEST, Progress.NONE),
                    Progress.NONE).accuracy();
            double script = result.get("best_test_accuracy").asDouble();
            System.out.printf("tabular-binary, %s process(es): train.py %.4f, kiln evaluate %.4f%n", name, script, kiln);
            assertEquals(script, kiln, 1e-9, name + ": kiln evaluate on the imported run against train.py's figure");
            assertEquals(result.get("test_accuracy").asDouble(), run.readRecord().testAccuracy());
        }
    }

    @Test
    void theMnistCnnSampleTrainsAFewBatchesAndComesBack() throws Exception {
        Assumptions.assumeTrue(python != null, PyTorchExportTest.HOW_TO_ENABLE);
        Project p = TrainedProjects.copySample("mnist-cnn", dir);
        Path out = dir.resolve("exports/torch");
        PyTorchTrainExporter.export(TrainedModel.untrained(p, dir, 256, Progress.NONE), out, Progress.NONE);
        JsonNode spec = JSON.readTree(out.resolve(PyTorchTrainExporter.DESCRIPTION).toFile());
        assertEquals(256, spec.get("data").get("train").asInt());
        assertEquals("conv1.weight", spec.get("parameters").get(0).get("kiln").asText());

        String printed = run(out, List.of(python, "train.py", "--epochs", "1", "--max-batches", "2"));
        RunFolder run = RunImport.importRun(p, dir, out);
        assertEquals(256, run.readRecord().limitTrain(), "evaluation refits the pipeline on the same 256 samples");
        JsonNode result = JSON.readTree(out.resolve("run").resolve(RunImport.RESULT).toFile());
        double kiln = Evaluator.evaluate(TrainedModel.load(p, dir, run.id(), TrainedModel.Weights.BEST, Progress.NONE),
                Progress.NONE).accuracy();
        System.out.printf("mnist-cnn, 2 batches: train.py %.4f, kiln evaluate %.4f%n", result.get("best_test_accuracy").asDouble(), kiln);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "test accuracy %.4f on 10000 test samples", kiln)), printed);
    }

    @Test
    void aFolderWithATrainedRunInsideIsNotReplaced() throws Exception {
        Project p = TrainedProjects.copySample("tabular-binary", dir);
        Path out = dir.resolve("exports/torch");
        TrainedModel model = TrainedModel.untrained(p, dir, 0, Progress.NONE);
        PyTorchTrainExporter.export(model, out, Progress.NONE);
        Files.createDirectories(out.resolve("run"));
        Files.writeString(out.resolve("run/metrics.csv"), "epoch,train_loss\n");
        ExportException e = assertThrows(ExportException.class, () -> PyTorchTrainExporter.export(model, out, Progress.NONE));
        assertTrue(e.getMessage().contains("holds a run trained with train.py"), e.getMessage());
        assertTrue(Files.exists(out.resolve("run/metrics.csv")));
    }

    @Test
    void loraAdaptersThatCannotComeBackAreRefusedNamingTheLayer() throws Exception {
        Project p = TrainedProjects.fineTuned(dir);
        Path out = dir.resolve("exports/torch");
        ExportException e = assertThrows(ExportException.class,
                () -> PyTorchTrainExporter.export(TrainedModel.untrained(p, dir, 100, Progress.NONE), out, Progress.NONE));
        assertTrue(e.getMessage().startsWith("dense2 (Dense): its "), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written");
    }

    /** requirements.txt pins what the venv that ran train.py has (result.json records it). */
    private static void assertRequirementsAreTheVenvs(Path out, JsonNode result) throws Exception {
        String req = Files.readString(out.resolve("requirements.txt"));
        for (String pkg : List.of("torch", "numpy", "safetensors")) {
            String version = result.get(pkg).asText().split("\\+")[0];
            assertTrue(req.contains(pkg + "==" + version + "\n"), "requirements.txt pins the venv's " + pkg + " " + version + ":\n" + req);
        }
    }

    private static String run(Path folder, List<String> command) throws Exception {
        Process proc = new ProcessBuilder(new ArrayList<>(command)).directory(folder.toFile()).redirectErrorStream(true).start();
        String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, proc.exitValue(), String.join(" ", command) + ":\n" + printed);
        return printed;
    }
}
