package kiln.app;

import kiln.engine.model.ShapeInference;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserProjectsTest {

    @TempDir
    Path tmp;

    private SampleCatalog.Sample sample() throws Exception {
        Path s = tmp.resolve("install/sample-projects/demo");
        Files.createDirectories(s.resolve("runs/run-1"));
        ProjectIO.save(UserProjects.newProject("Demo"), s);
        Files.writeString(s.resolve("README.md"), "# Demo");
        Files.writeString(s.resolve("sample.json"), """
                {"format": "kiln-sample", "order": 1, "title": "Demo", "description": "A demo.",
                 "accuracyNote": "none", "epochs": 1, "trainingTime": "a moment", "dataBundled": true,
                 "dataName": "MNIST", "dataLicence": "CC BY-SA 3.0"}
                """);
        Files.writeString(s.resolve("runs/run-1/run.json"), "{}");
        return SampleCatalog.read(s);
    }

    @Test
    void aSampleIsCopiedWithoutItsRunsAndAnOldCopyIsKeptAside() throws Exception {
        UserProjects user = new UserProjects(tmp.resolve("home"));
        SampleCatalog.Sample s = sample();
        assertEquals(Optional.empty(), user.copySample(s));
        Path copy = user.copyTarget(s);
        assertEquals(tmp.resolve("home/Kiln/demo"), copy);
        assertTrue(Files.isRegularFile(copy.resolve("project.json")));
        assertTrue(Files.isRegularFile(copy.resolve("README.md")));
        assertFalse(Files.exists(copy.resolve("runs")), "runs stay in the installation");

        Files.writeString(copy.resolve("notes.txt"), "mine");
        Path backup = user.copySample(s).orElseThrow();
        assertEquals("mine", Files.readString(backup.resolve("notes.txt")), "the student's copy is kept");
        assertFalse(Files.exists(copy.resolve("notes.txt")), "the new copy starts afresh");
    }

    @Test
    void theTransferSampleIsCopiedWithThePretrainedModelItStartsFromAndItsCopyFindsIt() throws Exception {
        UserProjects user = new UserProjects(tmp.resolve("home"));
        SampleCatalog.Sample s = SampleCatalog.list(kiln.engine.data.BundledData.sampleProjectsFolder().orElseThrow())
                .stream().filter(x -> x.id().equals("transfer-mnist-to-fashion")).findFirst().orElseThrow();

        user.copySample(s);

        Path copy = user.copyTarget(s);
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(s.folder().resolve("pretrained/runs/run-1/best.safetensors")),
                Files.readAllBytes(copy.resolve("pretrained/runs/run-1/best.safetensors")));
        assertTrue(Files.isRegularFile(copy.resolve("pretrained/project.json")));
        var source = kiln.engine.train.WeightTransfer.resolve(copy, "pretrained");
        assertEquals(copy.resolve("pretrained/runs/run-1/best.safetensors"), source.weights());
        assertFalse(Files.exists(copy.resolve("runs")), "no runs of the sample itself");
    }

    @Test
    void aNewProjectHasInputAndOutputOnMnist() {
        var p = UserProjects.newProject("Untitled");
        assertEquals(2, p.graph().nodes().size());
        assertEquals("bundled", p.data().kind());
        assertFalse(ShapeInference.analyze(p.graph()).isValid(), "nothing connects them yet");
    }

    @Test
    void recentProjectsNewestFirstWithoutDuplicatesOrVanishedFolders() throws Exception {
        RecentProjects recent = new UserProjects(tmp.resolve("home")).recent();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ProjectIO.save(UserProjects.newProject("A"), a);
        ProjectIO.save(UserProjects.newProject("B"), b);
        recent.add(a);
        recent.add(b);
        recent.add(a);
        assertEquals(List.of(a.toAbsolutePath(), b.toAbsolutePath()), recent.list());
        Files.delete(b.resolve("project.json"));
        assertEquals(List.of(a.toAbsolutePath()), recent.list());
        Files.writeString(tmp.resolve("home/.kiln/recent.json"), "{ broken");
        assertEquals(List.of(), recent.list(), "a damaged list is treated as empty");
    }
}
