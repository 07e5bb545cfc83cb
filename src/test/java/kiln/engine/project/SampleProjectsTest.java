package kiln.engine.project;

import kiln.engine.data.BundledData;
import kiln.engine.data.Cifar10MissingException;
import kiln.engine.data.Cifar10Reader;
import kiln.engine.data.DataAvailability;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.DataSplits;
import kiln.engine.model.ShapeInference;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.train.Trainer;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample opens, validates and trains one batch: bundled samples on their real data, CIFAR-10
 * samples (whose data cannot be shipped) first without data, where the error must offer the download,
 * then on a generated folder in the CIFAR-10 binary format.
 */
class SampleProjectsTest {

    @TempDir
    Path dir;

    static Path samplesFolder() {
        return BundledData.sampleProjectsFolder().orElseThrow();
    }

    static List<SampleCatalog.Sample> samples() throws Exception {
        return SampleCatalog.list(samplesFolder());
    }

    @Test
    void theCatalogListsEverySampleProjectWithItsGalleryFacts() throws Exception {
        Set<String> projects;
        try (Stream<Path> s = Files.list(samplesFolder())) {
            projects = s.filter(d -> Files.isRegularFile(d.resolve(ProjectIO.FILE)))
                    .map(d -> d.getFileName().toString()).collect(Collectors.toSet());
        }
        List<SampleCatalog.Sample> samples = samples();

        assertEquals(projects, samples.stream().map(SampleCatalog.Sample::id).collect(Collectors.toSet()),
                "every project folder in sample-projects has a sample.json");
        assertEquals(Set.of("mnist-mlp", "mnist-cnn", "fashion-mnist-cnn", "transfer-mnist-to-fashion", "tabular-binary",
                "diabetes-regression", "cifar10-lenet", "cifar10-resnet-small"), projects);
        assertEquals("mnist-mlp", samples.get(0).id(), "the gallery starts with the simplest network");
        for (SampleCatalog.Sample s : samples) {
            assertFalse(s.title().isBlank() || s.description().isBlank() || s.trainingTime().isBlank(), s.id());
            assertTrue(s.description().length() <= 120 && !s.description().contains("\n"), "one line: " + s.description());
            assertTrue(s.readme().toFile().isFile(), s.id());
            assertEquals(s.dataBundled(), !s.data().downloadable(), s.id() + ": only unbundled data is downloaded");
            if (s.dataBundled()) {
                assertTrue(s.data().present(), s.id() + ": " + s.data().problem());
                assertTrue(s.expectedTestAccuracy().isPresent(), s.id() + ": bundled samples state a measured accuracy");
                assertTrue(s.picture().isPresent(), s.id() + ": bundled samples have a picture drawn from their data");
            }
        }
    }

    @Test
    void aBrokenSampleJsonNamesThePlace() throws Exception {
        Path sample = Files.createDirectories(dir.resolve("broken"));
        Files.copy(samplesFolder().resolve("tabular-binary/project.json"), sample.resolve(ProjectIO.FILE));
        Files.writeString(sample.resolve("README.md"), "# Broken\n");
        Files.writeString(sample.resolve(SampleCatalog.FILE), """
                {"format": "kiln-sample", "order": 1, "title": "t", "description": "d", "accuracyNote": "n",
                 "epochs": 1, "trainingTime": "1 s", "dataBundled": true, "dataName": "x", "dataLicence": "y",
                 "picture": "../elsewhere.png"}
                """);
        String m = assertThrows(ProjectFormatException.class, () -> SampleCatalog.read(sample)).getMessage();
        assertEquals("broken/sample.json at $.picture: names no image inside the sample folder", m);

        Files.writeString(sample.resolve(SampleCatalog.FILE), """
                {"format": "kiln-sample", "order": 1, "title": "t", "description": "d", "expectedTestAccuracy": 95.6}
                """);
        m = assertThrows(ProjectFormatException.class, () -> SampleCatalog.read(sample)).getMessage();
        assertEquals("broken/sample.json at $.expectedTestAccuracy: should be a fraction from 0 to 1", m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void opensValidatesAndTrainsOneBatch(SampleCatalog.Sample sample) throws Exception {
        Project p = ProjectIO.load(sample.folder());
        assertTrue(ShapeInference.analyze(p.graph()).isValid(), ShapeInference.analyze(p.graph()).problems().toString());
        assertEquals(List.of(), TrainingSession.problems(p));
        assertEquals(sample.epochs(), p.training().epochs(), "sample.json states the project's epochs");

        if (p.data() instanceof DataSourceSpec.Cifar10) {
            p.setData(new DataSourceSpec.Cifar10(dir.resolve("no-cifar-here").toString()));
            DataAvailability missing = DataAvailability.of(p.data(), sample.folder());
            assertFalse(missing.present());
            assertTrue(missing.downloadable());
            var e = assertThrows(TrainingSession.SetupException.class,
                    () -> TrainingSession.prepareData(p, sample.folder(), 0, Progress.NONE));
            assertInstanceOf(Cifar10MissingException.class, e.getCause(), "the app offers download or locate on this type");
            assertTrue(e.getMessage().contains("data cifar10 --download") && e.getMessage().contains("--locate")
                    && e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());

            Path generated = writeCifarFolder(dir.resolve("cifar-10-batches-bin"), 40);
            p.setData(new DataSourceSpec.Cifar10(generated.toString()));
        } else {
            assertTrue(sample.data().present(), sample.data().problem());
        }

        int batch = p.training().batchSize();
        p.setTraining(p.training().withEpochs(1));
        TrainingSession.PreparedData full = TrainingSession.prepareData(p, sample.folder(), batch, Progress.NONE);
        DataSplits s = full.splits();
        TrainingSession.PreparedData oneBatch = new TrainingSession.PreparedData(
                new DataSplits(s.train(), s.validation().head(batch), s.test().head(batch)), full.pipeline(), full.encoding());
        List<TrainingEvent> events = new ArrayList<>();
        // In a copy, as the app opens a sample: a trained model the sample starts from comes along.
        Path copy = SampleCopies.copy(sample.id(), dir.resolve("copy-of-" + sample.id()));
        Trainer trainer = TrainingSession.newRun(p, copy, oneBatch, batch, events::add);

        TrainingEvent end = trainer.run();

        TrainingEvent.Finished finished = assertInstanceOf(TrainingEvent.Finished.class, end, end.toString());
        assertEquals(1, events.stream().filter(e -> e instanceof TrainingEvent.BatchFinished).count());
        assertTrue(Double.isFinite(finished.testLoss()), "test loss " + finished.testLoss());
    }

    /** Six batch files of {@code perFile} records: label r % 10, pixels from a fixed seed. */
    private static Path writeCifarFolder(Path folder, int perFile) throws Exception {
        Files.createDirectories(folder);
        Random random = new Random(7);
        List<String> files = new ArrayList<>(Cifar10Reader.TRAIN_FILES);
        files.add(Cifar10Reader.TEST_FILE);
        for (String f : files) {
            byte[] b = new byte[perFile * 3073];
            random.nextBytes(b);
            for (int r = 0; r < perFile; r++) b[r * 3073] = (byte) (r % 10);
            Files.write(folder.resolve(f), b);
        }
        return folder;
    }
}
