package kiln.app.data;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.data.BundledData;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.pipeline.Augmentations;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StandardizeStep;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.widgets.TextFits;
import kiln.widgets.tasks.QueuedTaskExecutor;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data pane on a copy of the MNIST sample, driven as a student would, in the space the main window gives
 * the tab at its smallest supported size (1280×800).
 */
@ExtendWith(ApplicationExtension.class)
class DataViewTest {

    @TempDir
    static Path dir;

    private ProjectDocument doc;
    private DataView view;

    @Start
    void start(Stage stage) throws Exception {
        Path project = Files.createDirectories(dir.resolve("mnist-copy"));
        Files.copy(BundledData.sampleProjectsFolder().orElseThrow().resolve("mnist-cnn").resolve(ProjectIO.FILE),
                project.resolve(ProjectIO.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Project p = ProjectIO.load(project);
        doc = new ProjectDocument(p, project);
        view = new DataView(new ViewContext(doc, new SameThreadTaskExecutor(), stage));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        // 1280×800 less the main window's menus, toolbar, tabs and status bar
        Scene scene = new Scene((javafx.scene.Parent) view.node(), 1280, 660);
        scene.getStylesheets().add(kiln.app.MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.sizeToScene();
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        // menus of this test's window must not linger into the next test's lookups
        robot.interact(() -> {
            new java.util.ArrayList<>(javafx.stage.Window.getWindows()).stream()
                    .filter(w -> w instanceof javafx.stage.PopupWindow).forEach(javafx.stage.Window::hide);
            view.dispose();
        });
    }

    /** Clicks through the Add step menu; looks only inside menus, not at same-named labels in the step list. */
    private static void chooseFromAddMenu(FxRobot robot, String family, String step) {
        robot.clickOn("#add-step");
        for (String text : List.of(family, step)) {
            robot.clickOn(robot.lookup(".context-menu").lookup((javafx.scene.Node n) ->
                    n instanceof javafx.scene.control.Labeled l && text.equals(l.getText())).<javafx.scene.Node>query());
        }
    }

    private List<PipelineStep> steps() {
        return doc.project().pipeline().steps();
    }

    @Test
    void galleryPreviewAndUndo(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.gallery().shownImageCount() > 10);
        assertEquals(54_000, view.gallery().source().size(), "MNIST's 60,000 training images minus 10 % validation");
        List<PipelineStep> original = steps();

        chooseFromAddMenu(robot, "Augmentation", "Random rotation");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(original.size() + 1, steps().size());
        int at = view.stepList().getSelectionModel().getSelectedIndex();
        assertEquals(Augmentations.Rotate.ID, steps().get(at).type());
        assertEquals(StepPreview.SAMPLES * (1 + StepPreview.DRAWS), view.previewGrid().imageCount(),
                "each sample before and in four random draws");
        assertEquals(List.of(), TextFits.cutShort((javafx.scene.Parent) view.node()), "every label shows whole");

        var firstDraw = view.previewGrid().getChildren().stream().filter(n -> n instanceof javafx.scene.image.ImageView).toList();
        robot.doubleClickOn("#param-degrees").write("45").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(45.0, steps().get(at).params().get("degrees"));
        var secondDraw = view.previewGrid().getChildren().stream().filter(n -> n instanceof javafx.scene.image.ImageView).toList();
        assertEquals(firstDraw.size(), secondDraw.size());
        assertTrue(firstDraw.get(2) != secondDraw.get(2), "the preview was redrawn for the new angle");

        chooseFromAddMenu(robot, "Normalization", "Standardize (z-score)");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(StandardizeStep.ID, steps().get(view.stepList().getSelectionModel().getSelectedIndex()).type());
        assertTrue(view.histogram().isVisible());
        assertEquals(0, view.histogram().after().mean(), 0.05, "z-scored values centre on 0");
        assertTrue(view.histogram().before().mean() > 0.05, "before: pixels scaled to 0–1");

        robot.interact(() -> {
            doc.undo();
            doc.undo();
            doc.undo();
        });
        assertEquals(original, steps(), "undo removes the added steps and the angle change");
        assertEquals(original.size(), view.stepList().getItems().size());
    }

    @Test
    void aGallerySampleCanBeFollowedThroughTheNetwork(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.gallery().shownImageCount() > 10);
        javafx.scene.Node third = robot.lookup(".image-grid-tile").match(n -> Integer.valueOf(2).equals(n.getUserData())).query();
        robot.doubleClickOn(third);
        ProjectDocument.FollowRequest asked = doc.followRequestProperty().get();
        assertTrue(asked != null, "double-clicking a sample asks the model editor to follow it");
        assertTrue(asked.name().startsWith("training #"), asked.name());
        assertEquals(28 * 28, asked.raw().length);
        float max = 0;
        for (float v : asked.raw()) max = Math.max(max, v);
        assertTrue(max > 100, "raw pixels 0-255, as the gallery shows them: " + max);
    }

    /** Writes a CSV labelled by its "label" column, makes it the project's data, and gives the overview's table. */
    private TableView<OverviewPane.ColumnInfo> openCsv(FxRobot robot, String name, String content) throws Exception {
        Path csv = Files.writeString(dir.resolve(name), content);
        robot.interact(() -> doc.execute(new ValueChange<>("csv", doc.project()::data, doc.project()::setData,
                new DataSourceSpec.Csv(csv.toString(), "label"))));
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(".table-view").queryTableView();
    }

    @Test
    void aCsvWithHolesShowsItsMissingValues(FxRobot robot) throws Exception {
        TableView<OverviewPane.ColumnInfo> table = openCsv(robot, "holes.csv", "petal_length,petal_width,label\n1,2,x\n,3,y\n4,,x\n5,6,y\n7,8,x\n9,,y\n");
        assertEquals(List.of("1", "2", "—"), table.getItems().stream().map(OverviewPane.ColumnInfo::missing).toList());
        assertEquals("1 … 9", table.getItems().get(0).range());
        assertEquals(List.of(), TextFits.cutShort((javafx.scene.Parent) view.node()), "every label and cell shows whole");
        double columnsWidth = table.getVisibleLeafColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
        assertTrue(columnsWidth <= table.getWidth() - 2, "the overview's columns (" + columnsWidth
                + " px) fit its table (" + table.getWidth() + " px) without scrolling sideways");

        // a cleaning step shows the rows it changes, as text for table data
        robot.interact(() -> view.addStep(kiln.engine.data.pipeline.StepType.find("fill_missing").orElseThrow()));
        WaitForAsyncUtils.waitForFxEvents();
        String rows = robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText().startsWith("training row"))
                .queryLabeled().getText();
        assertTrue(rows.contains("–  →"), rows);
    }

    @Test
    void aCsvTargetReadAsNumbersShowsItsRangeAndIsOneUndoableChange(FxRobot robot) throws Exception {
        Path csv = dir.resolve("prices.csv");
        Files.writeString(csv, "rooms,area,price\n1,30,100.5\n2,55,180\n3,70,240.25\n4,90,310\n5,120,400\n");
        robot.interact(() -> doc.execute(new ValueChange<>("csv", doc.project()::data, doc.project()::setData,
                new DataSourceSpec.Csv(csv.toString(), "price"))));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.CheckBox numbers = robot.lookup("#numericTarget").query();
        assertTrue(numbers.isVisible() && !numbers.isSelected(), "a CSV's label column names classes at first");

        robot.interact(numbers::fire);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new DataSourceSpec.Csv(csv.toString(), "price", true), doc.project().data());
        String overview = robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText().contains("Target price: numbers"))
                .queryLabeled().getText();
        assertTrue(overview.contains("100.5 to 400.0"), overview);
        assertEquals(List.of(), TextFits.cutShort(numbers.getParent()), "the overview's texts and cells show whole");

        robot.interact(doc::undo);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new DataSourceSpec.Csv(csv.toString(), "price"), doc.project().data());
        assertTrue(!numbers.isSelected());
    }

    @Test
    void aDroppedFileIsLookedAtOnTheExecutorNotOnTheJavaFxThread(FxRobot robot) throws Exception {
        Path csv = Files.writeString(dir.resolve("drop.csv"), "x,y,kind\n1,2,a\n3,4,b\n");
        Path folder = Files.createDirectories(dir.resolve("queued"));
        ProjectDocument queuedDoc = new ProjectDocument(ProjectIO.load(doc.folder()), folder);
        QueuedTaskExecutor executor = new QueuedTaskExecutor();
        Object[] sourceBeforeTheExecutorRan = new Object[1];
        robot.interact(() -> {
            DataView queued = new DataView(new ViewContext(queuedDoc, executor, null));
            queued.useDropped(csv);
            sourceBeforeTheExecutorRan[0] = queuedDoc.project().data();
            executor.runAll();
            queued.dispose();
        });
        assertEquals(new DataSourceSpec.Bundled("mnist"), sourceBeforeTheExecutorRan[0], "the JavaFX thread read no file");
        assertEquals(new DataSourceSpec.Csv(csv.toAbsolutePath().toString(), "kind"), queuedDoc.project().data());
    }

    @Test
    void lockedForTrainingTheDataCanBeBrowsedButNotEdited(FxRobot robot) {
        robot.interact(() -> doc.lockedProperty().set(true));
        assertTrue(view.stepList().isDisabled());
        assertTrue(!view.gallery().isDisabled(), "the gallery stays usable");
        robot.interact(() -> doc.lockedProperty().set(false));
    }

    @Test
    void aCsvsCategoryColumnIsShownWithTheTrainingSplitsCategories(FxRobot robot) throws Exception {
        StringBuilder rows = new StringBuilder("basket,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 30; i++) rows.append(i).append(',').append(colours[i % 3]).append(',').append(i % 2 == 0 ? "x" : "y").append('\n');
        TableView<OverviewPane.ColumnInfo> table = openCsv(robot, "shop.csv", rows.toString());
        assertEquals(List.of("number", "category", "target"), table.getItems().stream().map(OverviewPane.ColumnInfo::type).toList());
        assertEquals("3: blue, green, red + other", table.getItems().get(1).range());
        String overview = robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText().startsWith("Training "))
                .queryLabeled().getText();
        assertTrue(overview.contains("1 number and 1 category columns, target label: 5 values per sample"), overview);
        assertEquals(List.of(), TextFits.cutShort((javafx.scene.Parent) view.node()), "every label and cell shows whole");
    }

    @Test
    void aCsvWithARaggedRowAndATextColumnLoadsTheRestAndSaysWhy(FxRobot robot) throws Exception {
        TableView<OverviewPane.ColumnInfo> table = openCsv(robot, "messy.csv", "a,name,b,label\n1,ann,2,x\n3,4\n5,bob,6,y\n7,cy,8,x\n9,di,10,y\n");
        assertEquals(List.of("a", "name", "b", "label"), table.getItems().stream().map(OverviewPane.ColumnInfo::name).toList());
        assertEquals(List.of("number", "ignored", "number", "target"),
                table.getItems().stream().map(OverviewPane.ColumnInfo::type).toList(), "a different name in every row");
        String note = robot.lookup("#left-out").queryLabeled().getText();
        assertTrue(note.contains("line 3 has 2 values") && note.contains("column \"name\" holds text"), note);
    }
}
