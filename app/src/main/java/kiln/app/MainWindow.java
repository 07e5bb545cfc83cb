package kiln.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.stage.FileChooser;
import kiln.engine.importer.OnnxImporter;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import kiln.app.document.DocumentView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.app.export.ExportDialog;
import kiln.app.transfer.StartFromDialog;
import kiln.app.training.TrainingView;
import kiln.engine.data.BundledData;
import kiln.engine.data.Cifar10Download;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.SampleCatalog;
import kiln.engine.layout.AutoLayout;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ShapeInference;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.widgets.util.ChooserStart;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The application window: menus, toolbar, one tab per view of the open project (from {@link Views}), and a
 * status bar. It owns the open {@link ProjectDocument}: opening, saving, closing (asking about unsaved
 * changes and asking every view first), recent projects and samples. Loading and saving run on the executor.
 */
public final class MainWindow {

    private final Stage stage;
    private final TaskExecutor executor;
    private final UserProjects user;
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final StackPane center = new StackPane();
    private final StatusBar status = new StatusBar();
    private final Label modelInfo = new Label();
    /** Our own bar: the status bar's built-in one is squeezed to a sliver next to the model line. */
    private final javafx.scene.control.ProgressBar taskProgress = new javafx.scene.control.ProgressBar();
    private final Menu recentMenu = new Menu("Open Recent");
    private final MenuItem undoItem = new MenuItem("Undo");
    private final MenuItem redoItem = new MenuItem("Redo");
    private final Button undoButton = new Button();
    private final Button redoButton = new Button();
    private final CheckMenuItem darkTheme = new CheckMenuItem("Dark Theme");
    private final CheckMenuItem showSummary = new CheckMenuItem("Show Summary");
    private final List<MenuItem> needsProject = new ArrayList<>();
    private final List<javafx.scene.Node> needsProjectButtons = new ArrayList<>();

    private ProjectDocument document;
    private final List<DocumentView> views = new ArrayList<>();
    private Runnable unlisten = () -> { };
    /** A step to run once the project being opened is shown (e.g. pointing a sample at the student's data). */
    private java.util.function.Consumer<ProjectDocument> afterOpen;
    private final TrainGuide guide;
    private Button trainButton;

    public MainWindow(Stage stage, TaskExecutor executor, UserProjects user) {
        this.stage = stage;
        this.executor = executor;
        this.user = user;
        // hints drawn over the window without taking clicks
        javafx.scene.layout.Pane hints = new javafx.scene.layout.Pane();
        hints.setMouseTransparent(true);
        hints.setPickOnBounds(false);
        this.guide = new TrainGuide(user.settingsFolder(), executor, hints);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        tabs.getStyleClass().add("main-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Label welcome = new Label("Open a project, a sample, or start a new one from the File menu.");
        welcome.getStyleClass().add("welcome");
        center.getChildren().add(welcome);
        root.setTop(new VBox(menuBar(), toolBar()));
        root.setCenter(center);
        root.setBottom(status);
        status.setText("Ready");
        taskProgress.setPrefWidth(140);
        taskProgress.managedProperty().bind(taskProgress.visibleProperty());
        taskProgress.setVisible(false);
        status.getRightItems().addAll(taskProgress, modelInfo);
        executor.running().addListener((ListChangeListener<TaskHandle>) c -> showProgress());

        Scene scene = new Scene(new StackPane(root, hints), 1360, 860);
        scene.getStylesheets().add(MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnCloseRequest(this::closeRequested);
        darkTheme.selectedProperty().addListener((o, a, dark) -> Application.setUserAgentStylesheet(dark
                ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet()));
        updateTitle();
        updateRecent();
        enableProjectActions();
    }

    public Stage stage() {
        return stage;
    }

    /** What to open at start: the last project, or on first launch the MNIST CNN sample and whether it was copied. */
    private record Start(Optional<Path> last, Optional<SampleCatalog.Sample> sample, boolean copied) { }

    /**
     * Shows the window and opens the last project, or on first launch a copy of the MNIST CNN sample. Which one
     * is found on the executor (the recent list and the sample are files).
     */
    public void showAndOpenStartProject() {
        stage.show();
        RecentProjects recent = user.recent();
        executor.submit("Finding the start project", p -> {
            List<Path> last = recent.list();
            if (!last.isEmpty()) return new Start(Optional.of(last.get(0)), Optional.empty(), false);
            Optional<SampleCatalog.Sample> mnist = UserProjects.firstLaunchSample();
            return new Start(Optional.empty(), mnist,
                    mnist.isPresent() && UserProjects.holdsProject(user.copyTarget(mnist.get())));
        }, this::openStart, error -> {
            showError("The MNIST CNN sample cannot be read", error);
            status.setText("The samples were not found; open a project with File → Open.");
        });
    }

    private void openStart(Start start) {
        if (start.last().isPresent()) {
            open(start.last().get());
            return;
        }
        if (start.sample().isEmpty()) {
            status.setText("The samples were not found; open a project with File → Open.");
            return;
        }
        // first launch: once the sample is open, a small hint points at Train
        afterOpen = doc -> guide.showOnce(trainButton);
        if (start.copied()) open(user.copyTarget(start.sample().get()));
        else copyAndOpenSample(start.sample().get());
    }

    // ------------------------------------------------------------------ menus and toolbar

    private MenuBar menuBar() {
        MenuItem newItem = item("New Project", "Shortcut+N", this::newProject);
        MenuItem open = item("Open…", "Shortcut+O", this::chooseAndOpen);
        MenuItem sample = item("Open Sample…", null, this::chooseSample);
        MenuItem save = item("Save", "Shortcut+S", this::save);
        MenuItem saveAs = item("Save As…", "Shortcut+Shift+S", this::saveAs);
        MenuItem quit = item("Quit", "Shortcut+Q", () -> {
            if (confirmCloseProject()) quit();
        });
        MenuItem export = item("Export…", "Shortcut+E", this::export);
        MenuItem importOnnx = item("Import ONNX…", null, this::chooseAndImportOnnx);
        needsProject.addAll(List.of(save, saveAs, export));
        Menu file = new Menu("File", null, newItem, open, sample, recentMenu, new SeparatorMenuItem(), save, saveAs,
                new SeparatorMenuItem(), importOnnx, export, new SeparatorMenuItem(), quit);

        // they name layers ("Undo Delete conv2d_2"): an underscore is text, not a mnemonic
        undoItem.setMnemonicParsing(false);
        redoItem.setMnemonicParsing(false);
        undoItem.setAccelerator(KeyCombination.keyCombination("Shortcut+Z"));
        undoItem.setOnAction(e -> undo());
        redoItem.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+Z"));
        redoItem.setOnAction(e -> redo());
        MenuItem copy = item("Copy Layers", null, () -> modelView().ifPresent(v -> v.editor().canvas().copySelection()));
        MenuItem paste = item("Paste Layers", null, () -> modelView().ifPresent(v -> v.editor().canvas().paste()));
        MenuItem duplicate = item("Duplicate Layers", null, () -> modelView().ifPresent(v -> v.editor().canvas().duplicateSelection()));
        MenuItem delete = item("Delete", null, () -> modelView().ifPresent(v -> v.editor().canvas().deleteSelection()));
        MenuItem selectAll = item("Select All Layers", null, () -> modelView().ifPresent(v -> v.editor().canvas().selectAll()));
        needsProject.addAll(List.of(copy, paste, duplicate, delete, selectAll));
        Menu edit = new Menu("Edit", null, undoItem, redoItem, new SeparatorMenuItem(), copy, paste, duplicate, delete,
                selectAll);

        MenuItem zoomIn = item("Zoom In", "Shortcut+EQUALS", () -> modelView().ifPresent(v -> v.editor().canvas().zoomIn()));
        MenuItem zoomOut = item("Zoom Out", "Shortcut+MINUS", () -> modelView().ifPresent(v -> v.editor().canvas().zoomOut()));
        MenuItem fit = item("Zoom to Fit", "Shortcut+0", this::zoomToFit);
        MenuItem layoutLr = item("Auto-layout Left to Right", "Shortcut+L", () -> autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT));
        MenuItem layoutTb = item("Auto-layout Top to Bottom", "Shortcut+Shift+L", () -> autoLayout(AutoLayout.Orientation.TOP_TO_BOTTOM));
        showSummary.setSelected(true);
        showSummary.selectedProperty().addListener((o, a, b) -> modelView().ifPresent(v -> v.editor().summaryVisibleProperty().set(b)));
        needsProject.addAll(List.of(zoomIn, zoomOut, fit, layoutLr, layoutTb));
        Menu view = new Menu("View", null, zoomIn, zoomOut, fit, new SeparatorMenuItem(), layoutLr, layoutTb,
                new SeparatorMenuItem(), showSummary, darkTheme);

        MenuItem train = item("Train", "Shortcut+T", this::requestTrain);
        MenuItem startFrom = item("Start from…", null, this::startFrom);
        needsProject.addAll(List.of(train, startFrom));
        Menu model = new Menu("Model", null, train, startFrom);
        return new MenuBar(file, edit, view, model);
    }

    private ToolBar toolBar() {
        Button newB = tool("New", MaterialDesignF.FILE_PLUS_OUTLINE, "New project (Ctrl+N)", this::newProject);
        Button openB = tool("Open", MaterialDesignF.FOLDER_OPEN_OUTLINE, "Open a project folder (Ctrl+O)", this::chooseAndOpen);
        Button sampleB = tool("Samples", MaterialDesignF.FLASK_OUTLINE, "Open a sample project", this::chooseSample);
        Button saveB = tool("Save", MaterialDesignC.CONTENT_SAVE_OUTLINE, "Save (Ctrl+S)", this::save);
        undoButton.setGraphic(new FontIcon(MaterialDesignU.UNDO));
        undoButton.setOnAction(e -> undo());
        undoButton.setId("undo-button");
        redoButton.setGraphic(new FontIcon(MaterialDesignR.REDO));
        redoButton.setOnAction(e -> redo());
        redoButton.setId("redo-button");
        MenuButton layout = new MenuButton("Auto-layout", new FontIcon(MaterialDesignS.SITEMAP));
        layout.setId("layout-button");
        MenuItem lr = new MenuItem("Left to right");
        lr.setOnAction(e -> autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT));
        MenuItem tb = new MenuItem("Top to bottom");
        tb.setOnAction(e -> autoLayout(AutoLayout.Orientation.TOP_TO_BOTTOM));
        layout.getItems().addAll(lr, tb);
        Button fit = tool("Fit", MaterialDesignF.FIT_TO_PAGE_OUTLINE, "Zoom to fit the whole network (Ctrl+0)", this::zoomToFit);
        Button train = tool("Train", MaterialDesignP.PLAY, "Train the network (Ctrl+T)", this::requestTrain);
        train.getGraphic().getStyleClass().add("accent");
        train.setId("train-button");
        trainButton = train;
        needsProjectButtons.addAll(List.of(saveB, undoButton, redoButton, layout, fit, train));
        return new ToolBar(newB, openB, sampleB, saveB, new Separator(javafx.geometry.Orientation.VERTICAL), undoButton, redoButton, new Separator(javafx.geometry.Orientation.VERTICAL),
                layout, fit, new Separator(javafx.geometry.Orientation.VERTICAL), train);
    }

    private static Button tool(String text, org.kordamp.ikonli.Ikon icon, String tip, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setId(text.toLowerCase(Locale.ROOT) + "-button");
        return b;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) m.setAccelerator(KeyCombination.keyCombination(accelerator));
        m.setOnAction(e -> action.run());
        return m;
    }

    private void enableProjectActions() {
        boolean none = document == null;
        needsProject.forEach(m -> m.setDisable(none));
        needsProjectButtons.forEach(b -> b.setDisable(none));
        updateUndo();
    }

    // ------------------------------------------------------------------ actions

    public void undo() {
        if (document != null) document.undo();
    }

    public void redo() {
        if (document != null) document.redo();
    }

    public void zoomToFit() {
        modelView().ifPresent(ModelView::zoomToFit);
    }

    public void autoLayout(AutoLayout.Orientation orientation) {
        if (document != null && document.lockedProperty().get()) {
            status.setText("The model is read-only while training runs.");
            return;
        }
        modelView().ifPresent(v -> v.autoLayout(orientation));
    }

    /** Shows the Training tab and starts a run there (the view checks the project first and says what blocks it). */
    public void requestTrain() {
        guide.hide();
        for (Tab t : tabs.getTabs()) {
            if (t.getText().equals(Views.TRAINING)) tabs.getSelectionModel().select(t);
        }
        views.stream().filter(v -> v instanceof TrainingView).map(v -> (TrainingView) v).findFirst()
                .ifPresent(TrainingView::startTraining);
    }

    /** File → Export: the dialog picks the run, format and file, and exports on the executor. */
    public ExportDialog export() {
        if (document == null) return null;
        ExportDialog dialog = new ExportDialog(new ViewContext(document, executor, stage));
        dialog.show();
        return dialog;
    }

    /** Model → Start from…: a trained run's layers and weights come in, as one undoable edit. */
    public StartFromDialog startFrom() {
        if (document == null) return null;
        StartFromDialog dialog = new StartFromDialog(new ViewContext(document, executor, stage));
        dialog.show();
        return dialog;
    }

    private void chooseAndImportOnnx() {
        if (!confirmCloseProject()) return;
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import an ONNX model as a new project");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("ONNX models (*.onnx)", "*.onnx"));
        var file = chooser.showOpenDialog(stage);
        if (file != null) importOnnx(file.toPath());
    }

    /**
     * File → Import ONNX: converts the model on the executor into a new folder of the projects folder (named after
     * the file) and opens it; a model Kiln cannot import is explained in a dialog and nothing is written.
     */
    public void importOnnx(Path model) {
        String stem = model.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        status.setText("Importing " + model.getFileName() + " …");
        executor.<ImportedProject>submit("Importing " + model.getFileName(), progress -> {
            OnnxImporter.Imported imported = OnnxImporter.convert(model, OnnxImporter.DataChoice.defaults());
            Path folder = user.freeFolder(stem.isBlank() ? "imported" : stem);
            OnnxImporter.write(imported, folder);
            return new ImportedProject(folder, imported);
        }, done -> {
            String summary = "Imported " + done.imported().source() + " into " + done.folder() + ": "
                    + done.imported().project().graph().nodes().size() + " layers, "
                    + String.format(java.util.Locale.ROOT, "%,d", done.imported().parameterCount())
                    + " parameters, the weights as " + OnnxImporter.RUN + ".";
            afterOpen = doc -> {
                status.setText(summary);
                showInformation("Imported " + done.imported().source(), summary + "\n\n"
                        + String.join("\n\n", done.imported().notes()));
            };
            load(done.folder());
        }, error -> {
            status.setText("Could not import " + model.getFileName());
            showError("Kiln cannot import " + model.getFileName(), error);
        });
    }

    private record ImportedProject(Path folder, OnnxImporter.Imported imported) { }

    public void newProject() {
        if (!confirmCloseProject()) return;
        install(new ProjectDocument(UserProjects.newProject("Untitled"), null));
        status.setText("New project: add layers from the palette, then save it with File → Save As.");
    }

    private void chooseAndOpen() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a Kiln project folder");
        Path start = document != null && document.folder() != null ? document.folder().getParent() : user.projectsFolder();
        chooser.setInitialDirectory(ChooserStart.existing(start));
        var dir = chooser.showDialog(stage);
        if (dir != null) open(dir.toPath());
    }

    /** Loads a project folder off the JavaFX thread and shows it, once the open project may close. */
    public void open(Path folder) {
        if (confirmCloseProject()) load(folder);
        else afterOpen = null;
    }

    private void load(Path folder) {
        status.setText("Opening " + folder + " …");
        executor.submit("Opening " + folder.getFileName(), progress -> ProjectIO.load(folder),
                project -> {
                    install(new ProjectDocument(project, folder));
                    remember(folder);
                    status.setText("Opened " + folder);
                    if (afterOpen != null) afterOpen.accept(document);
                    afterOpen = null;
                },
                error -> {
                    afterOpen = null;
                    status.setText("Could not open " + folder);
                    showError("Could not open the project", error);
                });
    }

    public void save() {
        if (document == null) return;
        if (document.folder() == null) saveAs();
        else saveTo(document.folder());
    }

    public void saveAs() {
        if (document == null) return;
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose an empty folder for the project");
        chooser.setInitialDirectory(ChooserStart.created(user.projectsFolder())); // null: wherever the system likes
        var dir = chooser.showDialog(stage);
        if (dir == null) return;
        Path target = dir.toPath();
        executor.submit("Checking " + target, p -> UserProjects.holdsProject(target), holds -> {
            if (holds && !target.equals(document.folder())) {
                Alert ask = new Alert(Alert.AlertType.CONFIRMATION, target + " already holds a project. Replace its "
                        + "project.json with this project?", ButtonType.CANCEL, ButtonType.OK);
                ask.initOwner(stage);
                if (ask.showAndWait().orElse(ButtonType.CANCEL) != ButtonType.OK) return;
            }
            saveTo(target);
        }, error -> showError("Could not look into " + target, error));
    }

    /** Saves into a folder: the JSON is made here (the project is edited on this thread), written elsewhere. */
    public void saveTo(Path target) {
        ProjectDocument doc = document;
        String json;
        try {
            json = ProjectIO.toJson(doc.project());
        } catch (IOException e) {
            showError("Could not save the project", e);
            return;
        }
        long revision = doc.revisionProperty().get();
        executor.save("Saving " + doc.project().name(), target.resolve(ProjectIO.FILE),
                json.getBytes(StandardCharsets.UTF_8), file -> {
            Path saved = file.getParent();
            doc.savedAt(saved, revision);
            remember(saved);
            status.setText("Saved to " + saved.resolve(ProjectIO.FILE));
        }, error -> showError("Could not save the project to " + target, error));
    }

    /** The "Open Sample…" gallery, read from the samples' sample.json files. */
    public SampleGallery chooseSample() {
        List<SampleCatalog.Sample> samples;
        try {
            samples = SampleCatalog.list();
        } catch (ProjectFormatException e) {
            showError("The samples could not be listed", e);
            return null;
        }
        SampleGallery gallery = new SampleGallery(stage, executor, samples, user.projectsFolder(), new Cifar10Download(),
                this::openSample);
        gallery.show();
        return gallery;
    }

    /** Opens the student's copy of a sample, asking whether to keep an existing copy or start afresh. */
    public void openSample(SampleCatalog.Sample sample) {
        openSample(sample, Optional.empty());
    }

    /**
     * Opens the student's copy of a sample; with {@code cifarFolder}, then points its data at that CIFAR-10
     * copy (an undoable edit, so the student sees and saves the change).
     */
    public void openSample(SampleCatalog.Sample sample, Optional<Path> cifarFolder) {
        afterOpen = cifarFolder.<java.util.function.Consumer<ProjectDocument>>map(dir -> doc -> {
            Project p = doc.project();
            doc.execute(new ValueChange<>("Use the CIFAR-10 copy in " + dir, p::data, p::setData,
                    new DataSourceSpec.Cifar10(dir.toString())));
        }).orElse(null);
        Path target = user.copyTarget(sample);
        executor.submit("Looking for your copy of " + sample.title(), p -> user.hasCopy(sample),
                hasCopy -> openSample(sample, target, hasCopy), error -> showError("Could not look into " + target, error));
    }

    private void openSample(SampleCatalog.Sample sample, Path target, boolean hasCopy) {
        if (hasCopy) {
            ButtonType existing = new ButtonType("Open My Copy", ButtonBar.ButtonData.YES);
            ButtonType replace = new ButtonType("Start Afresh", ButtonBar.ButtonData.NO);
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "You already have a copy of this sample in " + target
                    + ". Open it, or start from the original again (your copy is kept as a backup folder)?",
                    existing, replace, ButtonType.CANCEL);
            ask.initOwner(stage);
            ask.setHeaderText(sample.title());
            ButtonType answer = ask.showAndWait().orElse(ButtonType.CANCEL);
            if (answer == existing) open(target);
            else if (answer == replace) copyAndOpenSample(sample);
            else afterOpen = null;
            return;
        }
        copyAndOpenSample(sample);
    }

    private void copyAndOpenSample(SampleCatalog.Sample sample) {
        if (!confirmCloseProject()) {
            afterOpen = null;
            return;
        }
        executor.submit("Copying " + sample.title(), progress -> user.copySample(sample), backup -> {
            load(user.copyTarget(sample));
            backup.ifPresent(b -> status.setText("Your previous copy was kept in " + b));
        }, error -> showError("Could not copy the sample into " + user.projectsFolder(), error));
    }

    /** The MNIST CNN sample from the installation's catalogue: only its small sample.json is read. */
    /** Puts a project at the top of the recent projects (a file, so written on the executor). */
    private void remember(Path folder) {
        RecentProjects recent = user.recent();
        executor.submit("Updating recent projects", p -> {
            recent.add(folder);
            return recent.list();
        }, this::showRecent, e -> {
            status.setText("Could not update the list of recent projects: " + e.getMessage());
            updateRecent();
        });
    }

    private void updateRecent() {
        RecentProjects recent = user.recent();
        executor.submit("Reading recent projects", p -> recent.list(), this::showRecent, e -> { });
    }

    private void showRecent(List<Path> folders) {
        recentMenu.getItems().clear();
        for (Path p : folders) {
            MenuItem m = new MenuItem(p.getFileName() + "  —  " + p);
            m.setMnemonicParsing(false); // folder names may hold underscores
            m.setOnAction(e -> open(p));
            recentMenu.getItems().add(m);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    // ------------------------------------------------------------------ the open project

    /** Replaces the open project: disposes the old views and builds fresh ones from {@link Views}. */
    private void install(ProjectDocument doc) {
        closeViews();
        document = doc;
        ViewContext context = new ViewContext(doc, executor, stage);
        tabs.getTabs().clear();
        for (Views.Entry entry : Views.ALL) {
            DocumentView v = entry.factory().apply(context);
            views.add(v);
            Tab tab = new Tab(entry.title(), v.node());
            tab.setId("tab-" + entry.title().toLowerCase(Locale.ROOT));
            tabs.getTabs().add(tab);
            if (v instanceof ModelView m) {
                m.setOnMessage(text -> status.setText(text.isEmpty() ? "Ready" : text));
                m.editor().summaryVisibleProperty().set(showSummary.isSelected());
            }
        }
        center.getChildren().setAll(tabs);
        Runnable onChange = () -> {
            updateTitle();
            updateUndo();
            updateModelInfo();
        };
        javafx.beans.InvalidationListener l = o -> onChange.run();
        doc.revisionProperty().addListener(l);
        doc.dirtyProperty().addListener(l);
        doc.folderProperty().addListener(l);
        doc.lockedProperty().addListener(l);
        unlisten = () -> {
            doc.revisionProperty().removeListener(l);
            doc.dirtyProperty().removeListener(l);
            doc.folderProperty().removeListener(l);
            doc.lockedProperty().removeListener(l);
        };
        onChange.run();
        enableProjectActions();
        // fit once the canvas has its size
        javafx.application.Platform.runLater(() -> modelView().ifPresent(v -> v.editor().canvas().showReadable()));
    }

    private void closeViews() {
        unlisten.run();
        unlisten = () -> { };
        views.forEach(DocumentView::dispose);
        views.clear();
    }

    /**
     * Asks every view, then about unsaved changes (Save / Don't Save / Cancel). True when the project may close.
     */
    public boolean confirmCloseProject() {
        if (document == null) return true;
        for (DocumentView v : views) if (!v.confirmClose()) return false;
        if (!document.dirtyProperty().get()) return true;
        ButtonType saveB = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
        Alert ask = new Alert(Alert.AlertType.WARNING, "\"" + document.project().name()
                + "\" has changes that are not saved. Save them before closing?", saveB, discard, ButtonType.CANCEL);
        ask.initOwner(stage);
        ask.setHeaderText("Unsaved changes");
        ButtonType answer = ask.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == discard) return true;
        if (answer != saveB) return false;
        return saveNow();
    }

    /** A save that must finish before closing: written on this thread (a small JSON file). */
    private boolean saveNow() {
        Path target = document.folder();
        if (target == null) {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Choose a folder for the project");
            var dir = chooser.showDialog(stage);
            if (dir == null) return false;
            target = dir.toPath();
        }
        try {
            document.saveTo(target);
            remember(target);
            return true;
        } catch (IOException e) {
            showError("Could not save the project to " + target, e);
            return false;
        }
    }

    private void closeRequested(WindowEvent e) {
        if (!confirmCloseProject()) {
            e.consume();
            return;
        }
        quit();
    }

    private void quit() {
        closeViews();
        executor.shutdown();
        stage.close();
    }

    private Optional<ModelView> modelView() {
        return views.stream().filter(ModelView.class::isInstance).map(ModelView.class::cast).findFirst();
    }

    public ProjectDocument document() {
        return document;
    }

    public TrainGuide trainGuide() {
        return guide;
    }

    public TabPane tabs() {
        return tabs;
    }

    public MenuItem undoItem() {
        return undoItem;
    }

    /** View → Dark Theme. */
    public CheckMenuItem darkThemeItem() {
        return darkTheme;
    }

    // ------------------------------------------------------------------ status and title

    private void updateTitle() {
        if (document == null) {
            stage.setTitle("Kiln");
            return;
        }
        String mark = document.dirtyProperty().get() ? " •" : "";
        String where = document.folder() == null ? "not saved yet" : document.folder().toString();
        stage.setTitle(document.project().name() + mark + " — " + where + " — Kiln");
    }

    private void updateUndo() {
        var stack = document == null ? null : document.commands();
        Optional<String> u = stack == null ? Optional.empty() : stack.undoDescription();
        Optional<String> r = stack == null ? Optional.empty() : stack.redoDescription();
        boolean locked = document != null && document.lockedProperty().get();
        undoItem.setText(u.map(d -> "Undo " + d).orElse("Undo"));
        redoItem.setText(r.map(d -> "Redo " + d).orElse("Redo"));
        undoItem.setDisable(u.isEmpty() || locked);
        redoItem.setDisable(r.isEmpty() || locked);
        undoButton.setDisable(u.isEmpty() || locked);
        redoButton.setDisable(r.isEmpty() || locked);
        undoButton.setTooltip(new Tooltip(undoItem.getText() + " (Ctrl+Z)"));
        redoButton.setTooltip(new Tooltip(redoItem.getText() + " (Ctrl+Shift+Z)"));
    }

    private void updateModelInfo() {
        GraphAnalysis a = ShapeInference.analyze(document.project().graph());
        // Network, settings and pipeline; whether the data fits is known only once it is read (Train says so).
        int problems = kiln.engine.train.TrainingSession.problems(document.project()).size();
        modelInfo.setText(String.format(Locale.ROOT, "%d layers · %,d parameters · %s", a.order().size(), a.totalParams(),
                problems == 0 ? "no problems found" : problems == 1 ? "1 problem" : problems + " problems"));
    }

    private void showProgress() {
        List<TaskHandle> running = executor.running();
        taskProgress.progressProperty().unbind();
        taskProgress.visibleProperty().unbind();
        if (running.isEmpty()) {
            taskProgress.setVisible(false);
            if (status.getText().endsWith(" …")) status.setText("Ready");
        } else {
            TaskHandle h = running.get(0);
            // Only known fractions: an indeterminate bar animates every frame for as long as a run trains,
            // and on two cores that redrawing is taken from training. The text says the work is going on.
            taskProgress.progressProperty().bind(h.progressProperty());
            taskProgress.visibleProperty().bind(h.progressProperty().greaterThanOrEqualTo(0));
            status.setText(h.title() + " …");
        }
    }

    private void showInformation(String what, String message) {
        textAlert(Alert.AlertType.INFORMATION, what, message, 6).show();
    }

    private void showError(String what, Throwable error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        textAlert(Alert.AlertType.ERROR, what, message, 4).show();
        status.setText(what + ": " + message);
    }

    /** An alert whose message can be selected and copied (a path, an op name), wrapped in a text area. */
    private Alert textAlert(Alert.AlertType type, String what, String message, int rows) {
        Alert alert = new Alert(type);
        alert.initOwner(stage);
        alert.setTitle("Kiln");
        alert.setHeaderText(what);
        TextArea text = new TextArea(message);
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(rows);
        VBox.setVgrow(text, Priority.ALWAYS);
        alert.getDialogPane().setContent(new VBox(text));
        return alert;
    }
}
