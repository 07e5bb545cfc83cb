package kiln.engine.cli;

import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.eval.TrainedSample;
import kiln.engine.export.KilnExporter;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate, predict and export on a briefly trained MNIST MLP, and their one-line errors. */
class EvaluateExportCommandTest {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TrainedSample mlp = new TrainedSample("mnist-mlp", 1000);

    @Test
    void evaluatePrintsTheMetricsTableAndConfusionMatrix() {
        CliRun r = kiln("evaluate", mlp.folder().toString(), "--run", "run-1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("MNIST MLP, run-1, best epoch: 10000 test samples"), r.out());
        assertTrue(r.out().matches("(?s).*accuracy 0\\.\\d{4}.*"), r.out());
        assertTrue(r.out().contains("class        precision  recall      f1  support"), r.out());
        assertTrue(r.out().matches("(?s).*\\n0 +0\\.\\d{4} +0\\.\\d{4} +0\\.\\d{4} +980\\n.*"), r.out());
        assertTrue(r.out().contains("macro avg") && r.out().contains("weighted avg"), r.out());
        assertTrue(r.out().contains("confusion matrix (rows: true class, columns: predicted class)"), r.out());
    }

    @Test
    void predictPrintsProbabilitiesForAnImage() throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 4; y < 24; y++) img.getRaster().setSample(14, y, 0, 255); // a stroke like a "1"
        Path png = dir.resolve("one.png");
        ImageIO.write(img, "png", png.toFile());

        CliRun r = kiln("predict", mlp.folder().toString(), png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("one.png: "), r.out());
        long rows = r.out().lines().filter(l -> l.matches("  \\d  [01]\\.\\d{4}  #*")).count();
        assertEquals(10, rows, r.out());
    }

    @Test
    void predictExplainsARowOfTheWrongLength() {
        CliRun r = kiln("predict", mlp.folder().toString(), "1,2,3");
        assertEquals(1, r.code());
        assertEquals("kiln: INPUT the row has 3 values but the network takes 784; give them in the order of the data's "
                + "feature columns.", r.err().strip());
    }

    @Test
    void anUntrainedProjectGivesOneClearLine() throws Exception {
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        TrainedProjects.copySample("mnist-mlp", fresh);
        CliRun r = kiln("export", fresh.toString(), "--format", "onnx", "--out", dir.resolve("x.onnx").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("kiln: The project in " + fresh + " has no trained run yet; train it first"), r.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void anUnwritablePathGivesOneClearLineAndLeavesNothingBehind() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        CliRun r = kiln("export", mlp.folder().toString(), "--format", "onnx", "--out", blocker.resolve("model.onnx").toString());
        assertEquals(1, r.code());
        assertEquals("kiln: Cannot write " + blocker.resolve("model.onnx") + " (a file is in the way of a folder it needs); "
                + "choose a folder you can write to.", r.err().strip());
        Path existing = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(existing.resolve("notes.txt"), "mine");
        CliRun r2 = kiln("export", mlp.folder().toString(), "--format", "pytorch", "--out", existing.toString());
        assertEquals(1, r2.code());
        assertTrue(r2.err().contains("already holds other files; give the name of a new folder"), r2.err());
        try (Stream<Path> s = Files.list(dir)) {
            List<String> hidden = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), hidden, "no temporary files or folders left");
        }
        assertEquals(List.of("notes.txt"), Files.list(existing).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void exportWritesEachFormatAndAnUnknownFormatIsNamed() throws Exception {
        Path onnx = dir.resolve("out/model.onnx");
        assertEquals(0, kiln("export", mlp.folder().toString(), "--format", "onnx", "--out", onnx.toString()).code());
        assertTrue(Files.size(onnx) > 100_000);
        Path torch = dir.resolve("out/torch");
        assertEquals(0, kiln("export", mlp.folder().toString(), "--format", "pytorch", "--out", torch.toString()).code());
        for (String f : List.of("model.py", "weights.safetensors", "evaluate.py", "test_data.npz")) assertTrue(Files.exists(torch.resolve(f)), f);
        // Exporting again replaces the earlier export.
        assertEquals(0, kiln("export", mlp.folder().toString(), "--format", "pytorch", "--out", torch.toString()).code());
        CliRun bad = kiln("export", mlp.folder().toString(), "--format", "keras", "--out", "x");
        assertEquals("kiln: --format is 'keras'; use one of onnx, pytorch, kiln, pytorch-train.", bad.err().strip());
    }

    @Test
    void theKilnExportReopensWithTheSameModelAndTrainsFurther() throws Exception {
        Path out = dir.resolve("exported-project");
        CliRun r = kiln("export", mlp.folder().toString(), "--format", "kiln", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("runs/run-1").resolve(KilnExporter.FITTED_PIPELINE)));

        Project reopened = ProjectIO.load(out);
        TrainedModel original = TrainedModel.load(ProjectIO.load(mlp.folder()), mlp.folder(), "run-1", TrainedModel.Weights.LAST, Progress.NONE);
        TrainedModel copy = TrainedModel.load(reopened, out, "run-1", TrainedModel.Weights.LAST, Progress.NONE);
        assertEquals(original.network().parameters().learnedBuffer(), copy.network().parameters().learnedBuffer());

        RunFolder run = RunFolder.list(out).get(0);
        TrainingSession.PreparedData data = TrainingSession.prepareData(reopened, out, run.readRecord().limitTrain(), Progress.NONE);
        TrainingEvent end = TrainingSession.continueRun(reopened, run, data, 1, e -> { }).run();
        assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
        assertEquals(2, run.readRecord().epochsCompleted());
    }

    /** An old DL4J checkpoint, its zip carrying a serialized Java object, is refused without opening it. */
    @Test
    void aRunSavedAsAnOldZipIsRefusedInOneLineWithoutReadingIt() throws Exception {
        Path old = dir.resolve("old");
        Project p = TrainedProjects.copySample("mnist-mlp", old);
        Path runDir = Files.createDirectories(old.resolve("runs/run-1"));
        RunFolder.open(runDir).writeRecord(new RunRecord("run-1", "completed", "2026-11-24T00:00:00Z", 10, 1, 1, 0.1,
                0.1, 0.97, 0, null, p.training()));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(runDir.resolve("checkpoint.zip")))) {
            zip.putNextEntry(new ZipEntry("preprocessor.bin"));
            ObjectOutputStream objects = new ObjectOutputStream(zip);
            objects.writeObject(new java.util.ArrayList<>(List.of("not data")));
            objects.flush();
            zip.closeEntry();
        }
        // Deeplearning4j hung forever on such a file; a generous limit catches a hang, not a speed.
        CliRun r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> kiln("evaluate", old.toString()));
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("run-1 was trained by an earlier Kiln") && r.err().contains("Train the project again"), r.err());
    }
}
