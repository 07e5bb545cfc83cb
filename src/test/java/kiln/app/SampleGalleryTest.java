package kiln.app;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import kiln.engine.data.Cifar10Download;
import kiln.engine.data.DataAvailability;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.project.SampleCatalog;
import kiln.widgets.tasks.FxTaskExecutor;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "Open Sample…" gallery: every sample with its facts, opening a copy, and CIFAR-10 without internet. */
@ExtendWith(ApplicationExtension.class)
class SampleGalleryTest {

    @TempDir
    static Path home;
    @TempDir
    Path scratch;
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = new MainWindow(stage, new SameThreadTaskExecutor(), new UserProjects(home));
        stage.setWidth(1000);
        stage.setHeight(700);
        stage.show();
    }

    private String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @Test
    void listsEverySampleWithItsFactsAndOpensACopy(FxRobot robot) throws Exception {
        List<SampleCatalog.Sample> samples = SampleCatalog.list();
        assertTrue(samples.size() >= 6, "the samples of issue 7");
        SampleGallery[] gallery = new SampleGallery[1];
        robot.interact(() -> window.chooseSample(g -> gallery[0] = g));
        for (SampleCatalog.Sample s : samples) {
            assertTrue(robot.lookup("#sample-" + s.id()).tryQuery().isPresent(), s.id() + " has a card");
            assertTrue(robot.lookup("#sample-" + s.id()).lookup((Label l) -> l.getText().equals(s.title())).tryQuery().isPresent(),
                    s.id() + " shows its title");
            String facts = text(robot, "#facts-" + s.id());
            assertTrue(facts.contains(s.trainingTime()), facts);
            if (s.expectedTestAccuracy().isPresent()) {
                String expected = s.predictsNumber()
                        ? String.format(Locale.ROOT, "Expected test R² %.2f", s.expectedTestAccuracy().getAsDouble())
                        : String.format(Locale.ROOT, "%.1f%%", 100 * s.expectedTestAccuracy().getAsDouble());
                assertTrue(facts.contains(expected), facts + " states " + expected);
            }
            String data = text(robot, "#data-" + s.id());
            assertEquals(!s.data().present(), data.contains("not on this computer"), data);
            assertEquals(s.picture().isPresent(), robot.lookup("#picture-" + s.id()).tryQuery().isPresent());
            assertEquals(!s.data().present() && s.data().downloadable(),
                    robot.lookup("#download-" + s.id()).tryQuery().isPresent(), s.id() + " offers a download when its data is missing");
        }
        // the cards' texts show whole, also those scrolled out of view
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), kiln.widgets.TextFits.cutShort(gallery[0].stage().getScene().getRoot()));

        robot.clickOn("#open-mnist-mlp");
        assertFalse(gallery[0].stage().isShowing(), "the gallery closes");
        assertEquals(home.resolve("Kiln").resolve("mnist-mlp"), window.document().folder());
        assertTrue(Files.isRegularFile(home.resolve("Kiln/mnist-mlp/project.json")), "a copy was made");
        Path original = samples.stream().filter(s -> s.id().equals("mnist-mlp")).findFirst().orElseThrow().folder();
        assertEquals(kiln.engine.project.ProjectIO.load(original).name(), window.document().project().name());
    }

    @Test
    void cifarWithoutInternetSaysWhatToFetchAndAChosenFolderIsChecked(FxRobot robot) throws Exception {
        SampleCatalog.Sample lenet = SampleCatalog.list().stream().filter(s -> s.id().equals("cifar10-lenet")).findFirst().orElseThrow();
        // where the download would go is a temp folder, and the server is a port nothing listens on: offline
        Path target = scratch.resolve("datasets").resolve(Cifar10Download.FOLDER_NAME);
        SampleCatalog.Sample missing = new SampleCatalog.Sample(lenet.id(), lenet.folder(), lenet.order(), lenet.title(),
                lenet.description(), lenet.expectedTestAccuracy(), lenet.accuracyNote(), lenet.epochs(), lenet.trainingTime(),
                lenet.dataBundled(), lenet.dataName(), lenet.dataLicence(), lenet.picture(), lenet.readme(),
                new DataAvailability(false, true, target, "CIFAR-10 is not in " + target));
        Cifar10Download offline = new Cifar10Download(URI.create("http://127.0.0.1:9/cifar-10-binary.tar.gz"),
                Cifar10Download.OFFICIAL_MD5, Cifar10Download.RECORDS_PER_FILE);
        List<String> opened = new ArrayList<>();
        FxTaskExecutor executor = new FxTaskExecutor(1);
        SampleGallery[] gallery = new SampleGallery[1];
        robot.interact(() -> {
            gallery[0] = new SampleGallery(stage, executor, List.of(missing), home, offline,
                    (s, cifar) -> opened.add(s.id() + cifar.map(p -> " " + p).orElse("")));
            gallery[0].show();
        });
        try {
            robot.clickOn("#download-cifar10-lenet");
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#message-cifar10-lenet").startsWith("Could not"));
            String message = text(robot, "#message-cifar10-lenet");
            assertTrue(message.contains(Cifar10Download.OFFICIAL_URL.toString()) && message.contains(Cifar10Download.FOLDER_NAME),
                    "says exactly what to fetch and where to put it: " + message);
            assertFalse(Files.exists(target), "a failed download leaves nothing behind");
            assertTrue(robot.lookup("#download-cifar10-lenet").queryButton().isVisible());
            assertFalse(robot.lookup("#download-cifar10-lenet").queryButton().isDisabled(), "the student may try again");

            // a chosen folder that is not CIFAR-10 is refused in plain words; nothing opens
            Label message2 = robot.lookup("#message-cifar10-lenet").queryAs(Label.class);
            robot.interact(() -> gallery[0].located(missing, scratch, message2));
            assertTrue(message2.getText().contains("is not a complete CIFAR-10 binary folder"), message2.getText());
            assertTrue(opened.isEmpty());

            robot.clickOn("#open-cifar10-lenet");
            assertEquals(List.of("cifar10-lenet"), opened, "Open Anyway opens it without data");
        } finally {
            executor.shutdown();
            robot.interact(() -> gallery[0].stage().close());
        }
    }

    @Test
    void aChosenCifarCopyBecomesTheProjectsDataAsAnUndoableEdit(FxRobot robot) throws Exception {
        SampleCatalog.Sample lenet = SampleCatalog.list().stream().filter(s -> s.id().equals("cifar10-lenet")).findFirst().orElseThrow();
        Path copy = scratch.resolve("my-cifar");
        robot.interact(() -> window.openSample(lenet, Optional.of(copy)));
        assertEquals(new DataSourceSpec.Cifar10(copy.toString()), window.document().project().data());
        assertTrue(window.document().dirtyProperty().get(), "the change is there to save");
        robot.interact(window::undo);
        DataSourceSpec.Cifar10 original = assertInstanceOf(DataSourceSpec.Cifar10.class, window.document().project().data());
        assertEquals(Cifar10Download.STANDARD_LOCATION, original.folder());
    }
}
