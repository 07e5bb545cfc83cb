package kiln.app.eval;

import kiln.app.UserProjects;
import kiln.app.document.ProjectDocument;
import kiln.widgets.tasks.QueuedTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(ApplicationExtension.class)
class RunChooserTest {

    @TempDir
    Path folder;

    @Test
    void theRunsFolderIsListedOnTheExecutorNotOnTheJavaFxThread(FxRobot robot) throws Exception {
        for (String run : List.of("run-1", "run-2")) {
            Files.createDirectories(folder.resolve("runs").resolve(run));
            Files.writeString(folder.resolve("runs").resolve(run).resolve("checkpoint.safetensors"), "");
        }
        Files.createDirectories(folder.resolve("runs/run-3")); // no weights yet: not offered
        ProjectDocument document = new ProjectDocument(UserProjects.newProject("p"), folder);
        QueuedTaskExecutor executor = new QueuedTaskExecutor();
        List<String> beforeTheExecutorRan = new ArrayList<>();
        List<String> whenListed = new ArrayList<>();
        RunChooser[] chooser = new RunChooser[1];
        robot.interact(() -> {
            chooser[0] = new RunChooser(document, executor, true);
            chooser[0].refresh(() -> whenListed.addAll(chooser[0].runBox().getItems()));
            beforeTheExecutorRan.addAll(chooser[0].runBox().getItems());
            executor.runAll();
        });
        assertEquals(List.of(), beforeTheExecutorRan, "the JavaFX thread read no folder");
        assertEquals(List.of("run-2", "run-1"), whenListed, "newest first, once listed");
        assertEquals("run-2", chooser[0].run());
    }
}
