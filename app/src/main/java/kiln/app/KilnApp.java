package kiln.app;

import javafx.application.Application;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import kiln.engine.data.BundledData;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The application shell. For now it opens a project and shows its model summary; the graph editor,
 * data pane, training and evaluation views attach here.
 */
public final class KilnApp extends Application {

    private final TableView<ModelSummary.Row> table = new TableView<>();
    private final Label status = new Label("Opening…");
    private Stage stage;

    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        BorderPane root = new BorderPane();
        root.setTop(menuBar());
        root.setCenter(table);
        status.setPadding(new Insets(4, 8, 4, 8));
        root.setBottom(status);
        table.getColumns().add(column("Layer (type)", ModelSummary.Row::layer, 240));
        table.getColumns().add(column("Output Shape", ModelSummary.Row::outputShape, 140));
        TableColumn<ModelSummary.Row, String> params = column("Param #", r -> String.format(Locale.ROOT, "%,d", r.params()), 110);
        params.setStyle("-fx-alignment: CENTER-RIGHT;");
        table.getColumns().add(params);
        table.getColumns().add(column("Connected to", ModelSummary.Row::connectedTo, 200));
        table.setPlaceholder(new Label("No project open"));
        stage.setScene(new Scene(root, 760, 480));
        stage.setTitle("Kiln");
        stage.show();
        sampleProject("mnist-cnn").ifPresentOrElse(this::open,
                () -> status.setText("The MNIST sample was not found; open a project with File → Open."));
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open Project…");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Open a Kiln project folder");
            File dir = chooser.showDialog(stage);
            if (dir != null) open(dir.toPath());
        });
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> stage.close());
        return new MenuBar(new Menu("File", null, open, quit));
    }

    /** Loads off the JavaFX thread; the table and title update when it is done. */
    private void open(Path folder) {
        status.setText("Opening " + folder + " …");
        Task<Project> load = new Task<>() {
            @Override
            protected Project call() throws Exception {
                return ProjectIO.load(folder);
            }
        };
        load.setOnSucceeded(e -> show(load.getValue()));
        load.setOnFailed(e -> status.setText("Could not open the project: " + load.getException().getMessage()));
        Thread t = new Thread(load, "kiln-open-project");
        t.setDaemon(true);
        t.start();
    }

    private void show(Project project) {
        ModelSummary summary = ModelSummary.of(project.graph());
        table.getItems().setAll(summary.rows());
        stage.setTitle(project.name() + " — Kiln");
        var analysis = ShapeInference.analyze(project.graph());
        status.setText(analysis.isValid()
                ? String.format(Locale.ROOT, "%s: %,d parameters, %,d multiply-adds per sample",
                        project.name(), summary.totalParams(), summary.multiplyAdds())
                : "Problem: " + analysis.firstProblem().orElse(""));
    }

    private static Optional<Path> sampleProject(String name) {
        return BundledData.sampleProjectsFolder().map(dir -> dir.resolve(name));
    }

    private static TableColumn<ModelSummary.Row, String> column(String title,
            java.util.function.Function<ModelSummary.Row, String> value, double width) {
        TableColumn<ModelSummary.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
