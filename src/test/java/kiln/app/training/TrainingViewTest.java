package kiln.app.training;

import com.sun.management.GarbageCollectionNotificationInfo;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.data.BundledData;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.RunFolder;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.FxTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import static kiln.app.FxWaits.onFx;
import static kiln.app.FxWaits.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Training tab driven as a student would, on a temporary copy of the MNIST CNN sample and a small slice. */
@ExtendWith(ApplicationExtension.class)
class TrainingViewTest {

    private Path folder;
    private ProjectDocument document;
    private FxTaskExecutor executor;
    private TrainingView view;

    /** A copy of the sample in a temporary folder, so runs never land in the repository. */
    static Path copyOfSample(String name) throws Exception {
        Path dir = Files.createTempDirectory("kiln-training-test");
        Path source = BundledData.sampleProjectsFolder().orElseThrow().resolve(name).resolve(ProjectIO.FILE);
        Files.copy(source, dir.resolve(ProjectIO.FILE));
        return dir;
    }

    @Start
    void start(Stage stage) throws Exception {
        folder = copyOfSample("mnist-cnn");
        Project project = ProjectIO.load(folder);
        document = new ProjectDocument(project, folder);
        executor = new FxTaskExecutor(2);
        view = new TrainingView(new ViewContext(document, executor, stage));
        stage.setScene(new Scene((Parent) view.node(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void cleanUp() throws Exception {
        closeAndDelete(view, executor, folder);
    }

    /** Closes the view as the window does, stops its executor and deletes the project's temporary copy. */
    static void closeAndDelete(TrainingView view, FxTaskExecutor executor, Path folder) throws Exception {
        Platform.runLater(view::dispose);
        WaitForAsyncUtils.waitForFxEvents();
        executor.shutdown();
        try (Stream<Path> s = Files.walk(folder)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int points(FxRobot robot, String chart, String curveKey) throws Exception {
        CurveChart c = robot.lookup(chart).queryAs(CurveChart.class);
        return onFx(() -> c.curves().containsKey(curveKey) ? c.curves().get(curveKey).size() : 0);
    }

    private void setField(FxRobot robot, String id, String value) {
        robot.doubleClickOn(id).push(KeyCode.CONTROL, KeyCode.A).write(value).push(KeyCode.ENTER);
    }

    /** Sets one epoch on the first {@code samples} training images (an undoable edit, as the Epochs field makes). */
    private void trainOneEpochOn(FxRobot robot, int samples) {
        robot.interact(() -> {
            view.setLimitTrain(samples);
            var p = document.project();
            document.execute(new ValueChange<>("Set epochs to 1", p::training, p::setTraining, p.training().withEpochs(1)));
        });
    }

    /** Waits until training has stopped and the project's first run is recorded as completed. */
    private void waitForTheRunToComplete(int seconds) throws Exception {
        waitUntil("the run ends", seconds, () -> !view.stateProperty().get().isActive()
                && !RunFolder.list(folder).isEmpty() && RunFolder.list(folder).get(0).readRecord().status().equals("completed"));
    }

    /** A stack of 32-unit sigmoid layers d1…dN on MNIST, trained by plain SGD on 640 images (gradients vanish in it). */
    private void useDeepSigmoidStack(FxRobot robot, int layers, int epochs) {
        robot.interact(() -> {
            Project p = document.project();
            kiln.engine.model.Graphs deep = kiln.engine.model.Graphs.start()
                    .then("input", "input", java.util.Map.of("height", 28, "width", 28, "channels", 1))
                    .then("flatten", "flatten", java.util.Map.of());
            for (int i = 1; i <= layers; i++) deep.then("d" + i, "dense", java.util.Map.of("units", 32, "activation", "sigmoid"));
            p.graph().setContents(deep.then("output", "output", java.util.Map.of("units", 10)).build());
            p.setTraining(new TrainingSettings("sgd", 0.1, 0, "constant", 1, 1, 64, epochs, 0, 0, 42, 0));
            view.setLimitTrain(640);
        });
    }

    @Test
    void trainPauseResumeStopLocksTheProjectAndRecordsTheRun(FxRobot robot) throws Exception {
        robot.interact(() -> view.setLimitTrain(3000));
        setField(robot, "#epochs", "3");
        assertEquals(3, document.project().training().epochs(), "the Epochs field edits the project's settings");

        robot.clickOn("#trainButton");
        assertTrue(document.lockedProperty().get(), "locked from the moment training starts");
        waitUntil("training starts", 120, () -> view.stateProperty().get() == RunState.TRAINING);
        robot.clickOn("#pauseButton");
        assertEquals(RunState.PAUSED, view.stateProperty().get());
        // The batch in progress may still report (batch data reaches the view once a second); after that,
        // nothing moves while paused.
        Thread.sleep(1500);
        int whilePaused = points(robot, "#batchChart", "raw");
        Thread.sleep(2000);
        assertEquals(whilePaused, points(robot, "#batchChart", "raw"), "no batch trains while paused");
        assertEquals("Resume", robot.lookup("#pauseButton").queryButton().getText());

        robot.clickOn("#pauseButton");
        waitUntil("the first epoch reaches the charts", 120, () -> points(robot, "#lossChart", "run-1/train") >= 1);
        assertTrue(points(robot, "#batchChart", "raw") > whilePaused, "batches ran again after Resume");
        assertEquals(1, points(robot, "#accuracyChart", "run-1/val"));
        String epochText = robot.lookup("#epochLabel").queryAs(Label.class).getText();
        assertTrue(epochText.matches("Epoch [12] of 3"), epochText);

        robot.clickOn("#stopButton");
        waitUntil("the run ends", 60, () -> !view.stateProperty().get().isActive());
        assertFalse(document.lockedProperty().get(), "editable again after the run");
        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("run-1 stopped after"), message);

        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("the run is listed as cancelled", 30, () -> onFx(() -> table.getItems().size() == 1
                && table.getItems().get(0).record().status().equals("cancelled")));
        RunRow row = onFx(() -> table.getItems().get(0));
        assertTrue(row.record().epochsCompleted() >= 1);
        assertEquals(row.record().epochsCompleted(), row.metrics().size(), "its per-epoch metrics are listed");
        assertEquals(3000, row.record().limitTrain());
        assertTrue(row.metrics().get(0).validationAccuracy() > 0.5, "one epoch on 3000 samples learns something");
    }

    @Test
    void theUiThreadIsNeverBlockedWhileARunTrainsToTheEnd(FxRobot robot) throws Exception {
        robot.interact(() -> {
            view.setLimitTrain(2000);
            var p = document.project();
            document.execute(new ValueChange<>("Set epochs to 3", p::training, p::setTraining, p.training().withEpochs(3)));
        });
        // Probes posted to the UI thread every 10 ms. For each, the wall-clock wait until it runs and the processor
        // time the UI thread spent meanwhile (its own work: layout, styling, our handlers). When other programs use
        // the two cores the wall-clock wait also holds time in which the operating system gave the idle UI thread
        // no core; that is reported, while the UI thread's own work is what must stay under 100 ms.
        // Stop-the-world garbage collections (large data arrays) are taken out of the waits as well.
        AtomicBoolean training = new AtomicBoolean(true);
        AtomicLong probes = new AtomicLong();
        List<long[]> gcPauses = new CopyOnWriteArrayList<>();
        var runtime = ManagementFactory.getRuntimeMXBean();
        var cpu = ManagementFactory.getThreadMXBean();
        NotificationListener onGc = (n, handback) -> {
            if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
            var gc = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
            gcPauses.add(new long[] {gc.getStartTime(), gc.getEndTime()});
        };
        ManagementFactory.getGarbageCollectorMXBeans()
                .forEach(gc -> ((NotificationEmitter) gc).addNotificationListener(onGc, null, null));
        long fxThread = onFx(() -> Thread.currentThread().getId());
        List<long[]> waits = new CopyOnWriteArrayList<>();
        Thread prober = new Thread(() -> {
            while (training.get()) {
                long posted = runtime.getUptime();
                long fxCpuAtPost = cpu.getThreadCpuTime(fxThread);
                Platform.runLater(() -> {
                    if (!training.get()) return; // the run has ended: what follows is not "while training"
                    long busyMillis = (cpu.getCurrentThreadCpuTime() - fxCpuAtPost) / 1_000_000;
                    waits.add(new long[] {posted, runtime.getUptime(), busyMillis});
                    probes.incrementAndGet();
                });
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ui-probe");

        robot.clickOn("#trainButton");
        waitUntil("training starts", 120, () -> view.stateProperty().get() == RunState.TRAINING);
        robot.interact(() -> view.stateProperty().addListener((o, was, now) -> {
            if (now != RunState.TRAINING) training.set(false);
        }));
        // Measured from the end of the first epoch: by then every part of the view (charts, history row, hints)
        // has been shown once, so what is measured is training, not the JVM loading and compiling JavaFX code.
        waitUntil("the first epoch is shown", 120, () -> points(robot, "#lossChart", "run-1/val") >= 1);
        prober.start();
        waitUntil("the run finishes", 300, () -> view.stateProperty().get() == RunState.FINISHED);
        training.set(false);
        prober.join();

        Thread.sleep(200); // the last collection's notification arrives after it
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(onGc);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // registered on every collector above; nothing to remove otherwise
            }
        }
        long worstWall = 0;
        long worstBusy = 0;
        for (long[] w : waits) {
            long overlap = 0;
            for (long[] gc : gcPauses) overlap += Math.max(0, Math.min(w[1], gc[1]) - Math.max(w[0], gc[0]));
            worstWall = Math.max(worstWall, w[1] - w[0] - overlap);
            worstBusy = Math.max(worstBusy, w[2]);
        }
        System.out.println("UI thread while training: " + probes.get() + " probes; longest wait " + worstWall
                + " ms (without garbage collection), of which the UI thread itself worked at most " + worstBusy + " ms");
        assertTrue(probes.get() > 50, "the probe ran throughout: " + probes.get());
        assertTrue(worstBusy < 100, "the UI thread worked " + worstBusy + " ms at a stretch while training");
        assertTrue(worstWall < 1000, "the UI thread was unavailable for " + worstWall + " ms: something blocks it");
        assertEquals(3, points(robot, "#lossChart", "run-1/val"));
        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("test accuracy"), message);
        assertEquals("completed", RunFolder.list(folder).get(0).readRecord().status());
    }

    @Test
    void closingDuringARunStopsItCleanlyAndAStoppedRunCanBeContinued(FxRobot robot) throws Exception {
        robot.interact(() -> view.setLimitTrain(1000));
        setField(robot, "#epochs", "2");
        robot.clickOn("#trainButton");
        waitUntil("the first epoch ends", 120, () -> points(robot, "#lossChart", "run-1/val") >= 1);
        // What confirmClose does once the student agrees: stop, and return only when the run has ended.
        robot.interact(view::stopAndWait);
        assertFalse(view.stateProperty().get().isActive(), "the run has ended");
        assertFalse(document.lockedProperty().get());
        RunFolder run = RunFolder.list(folder).get(0);
        int epochs = run.readRecord().epochsCompleted();
        assertTrue(epochs >= 1 && !run.readRecord().status().equals("running"), run.readRecord().status());

        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("the run is listed", 30, () -> onFx(() -> table.getItems().size() == 1));
        robot.interact(() -> {
            table.getSelectionModel().select(0);
            robot.lookup("#moreEpochs").queryAs(javafx.scene.control.Spinner.class).getValueFactory().setValue(1);
        });
        robot.clickOn("#continueButton");
        waitUntil("the continued run ends", 180, () -> !view.stateProperty().get().isActive()
                && run.readRecord().epochsCompleted() == epochs + 1);
        assertEquals(epochs + 1, run.readMetrics().size(), "one more epoch in the same run");
        assertEquals(1, RunFolder.list(folder).size(), "continuing makes no new run");
    }

    @Test
    void aDivergingRunShowsTheEnginesExplanationNotAStackTrace(FxRobot robot) throws Exception {
        robot.interact(() -> {
            Project p = document.project();
            // Raw 0–255 pixels into a linear output with squared error at SGD's highest rate: the loss overflows.
            p.setPipeline(new kiln.engine.data.pipeline.Pipeline(java.util.List.of()));
            var out = p.graph().node("output");
            try {
                p.graph().replace(out.withParams(out.params().with(out.type(), "loss", "linear_mse")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            p.setTraining(new TrainingSettings("sgd", 10.0, 0, "constant", 1, 1, 64, 1, 0, 0, 42, 0));
            view.setLimitTrain(1000);
        });
        robot.clickOn("#trainButton");
        waitUntil("the run fails", 120, () -> view.stateProperty().get() == RunState.FAILED
                && robot.lookup("#trainingMessage").queryAs(Label.class).getText().startsWith("Training stopped"));
        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("training diverged") && message.contains("Lower the learning rate"), message);
        assertFalse(message.contains("Exception") || message.contains("\tat "), "plain words only: " + message);
        assertEquals("Failed", robot.lookup("#epochLabel").queryAs(Label.class).getText());
        assertFalse(document.lockedProperty().get());
        assertEquals("failed", RunFolder.list(folder).get(0).readRecord().status());
    }

    @Test
    void aDeepSigmoidStackShowsVanishingGradientsFromTheLayerMeasurements(FxRobot robot) throws Exception {
        useDeepSigmoidStack(robot, 8, 1);
        robot.clickOn("#trainButton");
        waitForTheRunToComplete(120);
        waitUntil("the hint names the first layer", 30, () -> onFx(() -> robot.lookup("#hints").queryAs(javafx.scene.layout.VBox.class)
                .lookupAll(".label").stream().anyMatch(n -> n.isVisible() && ((Label) n).getText().equals("Vanishing gradients in d1"))));
        List<kiln.engine.runs.LayerDynamics> rows = kiln.engine.runs.DynamicsFile.read(RunFolder.list(folder).get(0));
        assertEquals(List.of("flatten", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "output"),
                rows.stream().map(kiln.engine.runs.LayerDynamics::layer).toList(), "one epoch, every layer but the input");
    }

    @Test
    void eachEpochFillsTheLayerTableAndDrawsASparklineOnEveryLearningLayerOfTheCanvas(FxRobot robot) throws Exception {
        kiln.app.ModelView model = onFx(() -> new kiln.app.ModelView(new ViewContext(document, executor, null)));
        useDeepSigmoidStack(robot, 6, 2);
        assertEquals(null, onFx(() -> model.editor().canvas().badge("d1")), "no sparkline before a run");
        robot.clickOn("#trainButton");
        waitUntil("the first epoch is measured", 120, () -> onFx(() -> model.editor().canvas().badge("d1") != null));
        waitForTheRunToComplete(120);
        kiln.widgets.charts.Sparkline line = onFx(() -> (kiln.widgets.charts.Sparkline) model.editor().canvas().badge("d1"));
        List<kiln.engine.runs.LayerDynamics> rows = kiln.engine.runs.DynamicsFile.read(RunFolder.list(folder).get(0));
        double[] expected = rows.stream().filter(d -> d.layer().equals("d1"))
                .mapToDouble(d -> Math.log10(d.updateRatio())).toArray();
        assertEquals(2, expected.length);
        assertEquals(2, onFx(line::points), "one point per epoch");
        assertTrue(java.util.Arrays.equals(expected, onFx(line::values)), "log10 of the measured update ratio");
        assertEquals(null, onFx(() -> model.editor().canvas().badge("flatten")), "a layer without weights has none");
        assertTrue(onFx(() -> line.getStyleClass().contains("warning")), "d1 is where the gradients vanish");

        List<DynamicsTable.Row> table = onFx(() -> List.copyOf(view.dynamicsTable().table().getItems()));
        assertEquals(List.of("flatten", "d1", "d2", "d3", "d4", "d5", "d6", "output"),
                table.stream().map(r -> r.latest().layer()).toList(), "every layer but the input, for epoch 2");
        assertTrue(table.stream().allMatch(r -> r.latest().epoch() == 2));
        DynamicsTable.Row d1 = table.get(1);
        assertEquals("vanishing gradients", d1.concern());
        assertEquals(rows.stream().filter(d -> d.layer().equals("d1") && d.epoch() == 2).findFirst().orElseThrow(), d1.latest());
        robot.interact(() -> robot.lookup("#runsAndLayers").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), onFx(() -> kiln.widgets.TextFits.cutShort((Parent) view.node())), "every cell shows whole");
        robot.interact(model::dispose);
    }

    @Test
    void theLearningRateFinderPlotsTheTestAndItsSuggestionIsOneUndoableEdit(FxRobot robot) throws Exception {
        robot.interact(() -> document.project().graph().setContents(kiln.engine.model.Graphs.start()
                .then("input", "input", java.util.Map.of("height", 28, "width", 28, "channels", 1))
                .then("flatten", "flatten", java.util.Map.of())
                .then("dense1", "dense", java.util.Map.of("units", 32))
                .then("output", "output", java.util.Map.of("units", 10)).build()));
        double before = document.project().training().learningRate();
        robot.clickOn("#findRateButton");
        robot.clickOn("#rateFinderStart");
        javafx.scene.control.Button use = robot.lookup("#rateFinderUse").queryButton();
        waitUntil("the test suggests a rate", 120, () -> onFx(() -> !use.isDisabled()));
        String text = robot.lookup("#rateFinderResult").queryAs(Label.class).getText();
        assertTrue(text.contains("Suggested learning rate: "), text);
        CurveChart chart = robot.lookup("#rateFinderChart").queryAs(CurveChart.class);
        int points = onFx(() -> chart.curves().get("smoothed").size());
        assertTrue(points >= 20, "one point per batch until the loss blew up: " + points);
        double suggested = Double.parseDouble(text.replaceAll("(?s).*Suggested learning rate: ([0-9.eE+-]+) .*", "$1"));
        assertTrue(suggested > 1e-7 && suggested < 10, "within the tested range: " + suggested);
        assertEquals(before, document.project().training().learningRate(), "nothing changes before Use this rate");

        robot.clickOn("#rateFinderUse");
        assertEquals(suggested, document.project().training().learningRate(), 1e-12);
        robot.interact(document::undo);
        assertEquals(before, document.project().training().learningRate(), "one undo takes the rate back");
        robot.interact(() -> ((javafx.stage.Stage) use.getScene().getWindow()).close());
    }

    @Test
    void aRenamedRunKeepsItsNameInTheHistoryAndOnTheCharts(FxRobot robot) throws Exception {
        trainOneEpochOn(robot, 500);
        robot.clickOn("#trainButton");
        waitForTheRunToComplete(120);
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("the run is listed as completed", 30, () -> onFx(() -> table.getItems().size() == 1
                && table.getItems().get(0).record().status().equals("completed")));
        robot.interact(() -> {
            table.getSelectionModel().select(0);
            view.renameRun(table.getItems().get(0), "small slice");
        });
        waitUntil("the new name is listed", 30, () -> onFx(() -> table.getItems().get(0).label().equals("small slice (run-1)")));
        assertEquals("small slice", RunFolder.list(folder).get(0).readRecord().name());
        CurveChart loss = robot.lookup("#lossChart").queryAs(CurveChart.class);
        waitUntil("the legend uses the name", 30, () -> onFx(() -> loss.curves().containsKey("run-1/val")
                && loss.curves().get("run-1/val").label().equals("small slice (run-1) validation")));
    }

    @Test
    void importRunRefusesABadFolderInPlainWordsAndListsAGoodOneWithItsCurves(FxRobot robot) throws Exception {
        Path bad = Files.createTempDirectory("kiln-import-bad");
        robot.interact(() -> view.importRun(bad));
        waitUntil("the refusal is shown", 60, () -> onFx(() -> robot.lookup("#trainingMessage").queryAs(Label.class)
                .getText().startsWith("Not imported: ")));
        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("has no result.json, which train.py writes when it finishes"), message);
        javafx.stage.Stage alert = onFx(() -> (javafx.stage.Stage) javafx.stage.Window.getWindows().stream()
                .filter(w -> w instanceof javafx.stage.Stage s && "Import run".equals(s.getTitle())).findFirst().orElse(null));
        assertTrue(alert != null, "an error dialog explains the refusal");
        robot.interact(alert::close);
        assertTrue(RunFolder.list(folder).isEmpty(), "nothing was added");

        // A run as train.py writes it, made here from a short Kiln run.
        trainOneEpochOn(robot, 300);
        robot.clickOn("#trainButton");
        waitForTheRunToComplete(180);
        RunFolder trained = RunFolder.list(folder).get(0);
        Path outside = Files.createTempDirectory("kiln-import-good");
        for (String f : List.of("metrics.csv", "checkpoint.safetensors", "best.safetensors")) {
            Files.copy(trained.dir().resolve(f), outside.resolve(f));
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var record = trained.readRecord();
        var result = json.createObjectNode().put("format", kiln.engine.train.RunImport.RESULT_FORMAT)
                .put("status", "completed").put("epochs", 1).put("best_epoch", 1)
                .put("best_validation_loss", record.bestValidationLoss()).put("test_loss", record.testLoss())
                .put("test_accuracy", record.testAccuracy()).put("seconds", 9.0).put("processes", 2)
                .put("device", "cpu").put("torch", "2.13.0+cpu").put("limit_train", record.limitTrain());
        result.set("settings", json.valueToTree(record.settings()));
        result.set("data_record", json.readTree(trained.dataRecordFile().toFile()));
        Files.writeString(outside.resolve(kiln.engine.train.RunImport.RESULT), result.toPrettyString());

        robot.interact(() -> view.importRun(outside));
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#runsTable").queryAs(TableView.class);
        waitUntil("the imported run is listed", 60, () -> onFx(() -> table.getItems().size() == 2
                && table.getItems().get(1).id().equals("run-2")));
        assertTrue(robot.lookup("#trainingMessage").queryAs(Label.class).getText().contains("as run-2"));
        waitUntil("it is selected, with its curves on the charts", 30,
                () -> points(robot, "#lossChart", "run-2/val") == 1
                        && onFx(() -> table.getSelectionModel().getSelectedItem().id().equals("run-2")));
    }

    @Test
    void whatBlocksTrainingIsExplainedAndNothingIsLocked(FxRobot robot) throws Exception {
        robot.interact(() -> {
            var graph = document.project().graph();
            var output = graph.node("output");
            try {
                graph.replace(output.withParams(output.params().with(output.type(), "units", 7)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        robot.clickOn("#trainButton");
        waitUntil("the data check fails", 120, () -> view.stateProperty().get() == RunState.FAILED
                && !robot.lookup("#trainingMessage").queryAs(Label.class).getText().isEmpty());
        String message = robot.lookup("#trainingMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("output (Output) has 7 units but the data has 10 classes"), message);
        assertFalse(document.lockedProperty().get());
        assertTrue(RunFolder.list(folder).isEmpty(), "no run is created for a project that cannot train");
    }

    @Test
    void settingsRefuseBadValuesWithTheReasonAndEveryChangeUndoes(FxRobot robot) {
        double before = document.project().training().learningRate();
        setField(robot, "#learningRate", "-1");
        assertEquals(before, document.project().training().learningRate(), "refused");
        String reason = robot.lookup("#settingsMessage").queryAs(Label.class).getText();
        assertTrue(reason.startsWith("Learning rate is -1.0; use a number above 0"), reason);
        assertEquals("0.001", robot.lookup("#learningRate").queryTextInputControl().getText(), "the old value is back");

        setField(robot, "#learningRate", "abc");
        assertTrue(robot.lookup("#settingsMessage").queryAs(Label.class).getText().contains("'abc' is not a number"));

        setField(robot, "#learningRate", "0.01");
        assertEquals(0.01, document.project().training().learningRate());
        assertEquals("Set learning rate to 0.01", document.commands().undoDescription().orElseThrow());
        robot.interact(document::undo);
        assertEquals(before, document.project().training().learningRate());
        assertEquals("0.001", robot.lookup("#learningRate").queryTextInputControl().getText(), "the field follows undo");
        robot.interact(() -> document.lockedProperty().set(true));
        assertTrue(robot.lookup("#learningRate").query().isDisabled(), "read-only while training");
        robot.interact(() -> document.lockedProperty().set(false));
    }

    @Test
    void whileASweepHoldsTheProjectNothingElseTrains(FxRobot robot) throws Exception {
        robot.interact(() -> document.lockedProperty().set(true)); // as the sweep window does while its trials train
        for (String button : List.of("#trainButton", "#repeatButton", "#crossValidateButton", "#findRateButton", "#sweepButton")) {
            assertTrue(robot.lookup(button).queryButton().isDisabled(), button);
        }
        robot.interact(view::startTraining); // Model → Train reaches the view without its button
        assertEquals(RunState.IDLE, view.stateProperty().get());
        assertTrue(robot.lookup("#trainingMessage").queryAs(Label.class).getText().startsWith("Another training holds the project"));
        assertTrue(RunFolder.list(folder).isEmpty(), "no run was started");
        robot.interact(() -> document.lockedProperty().set(false));
        assertFalse(robot.lookup("#trainButton").queryButton().isDisabled());
    }
}
