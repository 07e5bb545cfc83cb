package kiln.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.stage.FileChooser;
import kiln.engine.importer.OnnxImporter;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
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
import kiln.engine.project.SampleCatalog;
import kiln.engine.layout.AutoLayout;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.widgets.util.ChooserStart;
import kiln.widgets.tasks.TaskExecutor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

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
    private final WindowStatusBar status;
    private final MainMenus menus;
    private final ProjectSaving saving;

    private ProjectDocument document;
    private final List<DocumentView> views = new ArrayList<>();
    private Runnable unlisten = () -> { };
    /** A step to run once the project being opened is shown (e.g. pointing a sample at the student's data). */
    private Consumer<ProjectDocument> afterOpen;
    private final TrainGuide guide;

    public MainWindow(Stage stage, TaskExecutor executor, UserProjects user) {
        this.stage = stage;
        this.executor = executor;
        this.user = user;
        // hints drawn over the window without taking clicks
        javafx.scene.layout.Pane hints = new javafx.scene.layout.Pane();
        hints.setMouseTransparent(true);
        hints.setPickOnBounds(false);
        this.guide = new TrainGuide(user.settingsFolder(), executor, hints);
        status = new WindowStatusBar(executor);
        menus = new MainMenus(this);
        saving = new ProjectSaving(stage, executor, user.projectsFolder(), () -> document, this::remember,
                status::setText, this::showError);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        tabs.getStyleClass().add("main-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Label welcome = new Label("Open a project, a sample, or start a new one from the File menu.");
        welcome.getStyleClass().add("welcome");
        center.getChildren().add(welcome);
        root.setTop(new VBox(menus.bar(), menus.tools()));
        root.setCenter(center);
        root.setBottom(status);

        Scene scene = new Scene(new StackPane(root, hints), 1360, 860);
        scene.getStylesheets().add(MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnCloseRequest(this::closeRequested);
        menus.darkThemeItem().selectedProperty().addListener((o, a, dark) -> Application.setUserAgentStylesheet(dark
                ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet()));
        updateTitle();
        updateRecent();
        menus.enableProjectActions(document);
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
        afterOpen = doc -> guide.showOnce(menus.trainButton());
        if (start.copied()) open(user.copyTarget(start.sample().get()));
        else copyAndOpenSample(start.sample().get());
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
        selectTab(Views.TRAINING);
        views.stream().filter(v -> v instanceof TrainingView).map(v -> (TrainingView) v).findFirst()
                .ifPresent(TrainingView::startTraining);
    }

    private void selectTab(String title) {
        for (Tab t : tabs.getTabs()) {
            if (t.getText().equals(title)) tabs.getSelectionModel().select(t);
        }
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

    void chooseAndImportOnnx() {
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

    void chooseAndOpen() {
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
        saving.save();
    }

    public void saveAs() {
        saving.saveAs();
    }

    /** Saves into a folder: the JSON is made here (the project is edited on this thread), written elsewhere. */
    public void saveTo(Path target) {
        saving.saveTo(target);
    }

    /** The "Open Sample…" gallery, read from the samples' sample.json files. */
    public void chooseSample() {
        chooseSample(gallery -> { });
    }

    /** Lists the samples on the executor (it reads every sample.json), then shows the gallery and hands it on. */
    public void chooseSample(Consumer<SampleGallery> shown) {
        executor.submit("Listing the samples", p -> SampleCatalog.list(), samples -> {
            SampleGallery gallery = new SampleGallery(stage, executor, samples, user.projectsFolder(),
                    new Cifar10Download(), this::openSample);
            gallery.show();
            shown.accept(gallery);
        }, error -> showError("The samples could not be listed", error));
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
        afterOpen = cifarFolder.<Consumer<ProjectDocument>>map(dir -> doc -> {
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
        }, folders -> menus.showRecent(folders, this::open), e -> {
            status.setText("Could not update the list of recent projects: " + e.getMessage());
            updateRecent();
        });
    }

    private void updateRecent() {
        RecentProjects recent = user.recent();
        executor.submit("Reading recent projects", p -> recent.list(), folders -> menus.showRecent(folders, this::open), e -> { });
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
                m.editor().summaryVisibleProperty().set(menus.showSummaryItem().isSelected());
            }
        }
        center.getChildren().setAll(tabs);
        // a sample the Data tab asks to follow is shown where it is followed: on the model canvas
        doc.followRequestProperty().addListener((o, was, request) -> {
            if (request != null) selectTab(Views.MODEL);
        });
        Runnable onChange = () -> {
            updateTitle();
            menus.showUndo(document);
            status.showModel(document);
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
        menus.enableProjectActions(document);
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
        return saving.saveNow();
    }

    private void closeRequested(WindowEvent e) {
        if (!confirmCloseProject()) {
            e.consume();
            return;
        }
        quit();
    }

    void quit() {
        closeViews();
        executor.shutdown();
        stage.close();
    }

    Optional<ModelView> modelView() {
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
        return menus.undoItem();
    }

    /** View → Dark Theme. */
    public CheckMenuItem darkThemeItem() {
        return menus.darkThemeItem();
    }

    // ------------------------------------------------------------------ title and alerts

    private void updateTitle() {
        if (document == null) {
            stage.setTitle("Kiln");
            return;
        }
        String mark = document.dirtyProperty().get() ? " •" : "";
        String where = document.folder() == null ? "not saved yet" : document.folder().toString();
        stage.setTitle(document.project().name() + mark + " — " + where + " — Kiln");
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
