package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import kiln.app.document.DocumentView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.app.ui.ViewParts;
import kiln.engine.catalog.Input;
import kiln.engine.data.CsvReader;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSourceSniffer;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.DataSplits;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.Splitter;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineFitter;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.shape.TensorShape;
import kiln.widgets.charts.HistogramView;
import kiln.widgets.images.BeforeAfterGrid;
import kiln.widgets.images.ImageGrid;
import kiln.widgets.tasks.TaskHandle;
import kiln.widgets.tasks.Work;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data pane: where the samples come from, how they are split, and the pipeline of cleaning, augmentation
 * and normalization steps; what they look like is shown by {@link OverviewPane} and {@link SamplesPane}, the
 * selected step by {@link StepEditor} and {@link StepPreview}. Loading and previews run on the executor;
 * every edit is an undoable command on the document.
 */
public final class DataView implements DocumentView {

    private final ViewContext ctx;
    private final ProjectDocument doc;
    private final StepPreview preview;
    private final StepEditor editor;
    private final BorderPane root = new BorderPane();

    // source bar
    private final ComboBox<String> bundled = new ComboBox<>();
    private final Label sourceLabel = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel");
    private final Label status = new Label();

    private final HBox sourceControls = new HBox(8);
    private final GridPane splitControls = new GridPane();
    private final HBox stepButtons = new HBox(6);

    // overview and split
    private final OverviewPane overview = new OverviewPane();
    private final TextField validationField = new TextField();
    private final TextField testField = new TextField();
    private final TextField seedField = new TextField();
    private final CheckBox stratified = new CheckBox("Stratified (same class mix in every split)");
    /** A CSV's target read as a number to predict (regression) rather than as class names. */
    private final CheckBox numericTarget = new CheckBox("The label column is a number to predict (regression)");
    private final Label splitError = new Label();

    private final SamplesPane samples = new SamplesPane(this::follow);

    // pipeline
    private final ListView<PipelineStep> steps = new ListView<>();
    private final Label shapeLine = new Label();
    private final Button setInput = new Button();

    private DataSplits loaded;
    private DataSourceSpec loadedSpec;
    private SplitSettings loadedSplit;
    private CsvReader.Report csvReport;
    private PipelineFitter fitter;
    private TaskHandle loadHandle;
    private Pipeline shownPipeline;
    private boolean refreshing;
    // a change listener: an invalidation listener would fire once until someone reads the revision
    private final javafx.beans.value.ChangeListener<Number> onRevision = (o, a, b) -> projectChanged();

    /** A gallery sample the student wants to follow through the network: the model editor takes it from here. */
    private void follow(ProjectDocument.FollowRequest request) {
        doc.followRequestProperty().set(request);
    }

    public DataView(ViewContext context) {
        this.ctx = context;
        this.doc = context.document();
        this.preview = new StepPreview(context.executor());
        this.editor = new StepEditor(() -> project().pipeline(), this::apply);
        root.getStyleClass().add("data-view");
        root.setTop(sourceBar());
        ScrollPane left = scroll(leftPane());
        // a CSV's columns table shows every column: the pane widens for it (padding and a scroll bar beside it)
        left.minWidthProperty().bind(overview.columnsWidthProperty().add(32));
        SplitPane split = new SplitPane(left, samples, scroll(rightPane()));
        split.setDividerPositions(0.22, 0.55);
        root.setCenter(split);
        setUpDragAndDrop();
        doc.revisionProperty().addListener(onRevision);
        // while a run trains, the data can be browsed but not edited
        for (Node n : List.of(sourceControls, splitControls, steps, stepButtons, editor.fields(), setInput)) n.disableProperty().bind(doc.lockedProperty());
        reload();
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void dispose() {
        doc.revisionProperty().removeListener(onRevision);
        for (Node n : List.of(sourceControls, splitControls, steps, stepButtons, editor.fields(), setInput)) n.disableProperty().unbind();
        if (loadHandle != null) loadHandle.cancel();
        preview.dispose();
        samples.dispose();
    }

    private Project project() {
        return doc.project();
    }

    private Path folder() {
        return doc.folder() != null ? doc.folder() : Path.of("").toAbsolutePath();
    }

    // ------------------------------------------------------------------ layout

    private Node sourceBar() {
        bundled.getItems().addAll("MNIST (bundled)", "Fashion-MNIST (bundled)");
        bundled.setPromptText("Bundled data set");
        bundled.setOnAction(e -> {
            if (refreshing || bundled.getValue() == null) return;
            String name = bundled.getValue().startsWith("Fashion") ? "fashion-mnist" : "mnist";
            changeSource(new DataSourceSpec.Bundled(name));
        });
        Button folderButton = new Button("Image folder…");
        folderButton.setTooltip(new Tooltip("A folder with one sub-folder of PNG/JPEG images per class"));
        folderButton.setOnAction(e -> chooseFolder(false));
        Button csvButton = new Button("CSV file…");
        csvButton.setOnAction(e -> chooseCsv());
        Button cifarButton = new Button("CIFAR-10 folder…");
        cifarButton.setTooltip(new Tooltip("The folder cifar-10-batches-bin of the CIFAR-10 binary version"));
        cifarButton.setOnAction(e -> chooseFolder(true));
        progress.setPrefWidth(140);
        progress.setVisible(false);
        cancel.setVisible(false);
        cancel.setOnAction(e -> {
            if (loadHandle != null) loadHandle.cancel();
            showLoading(false);
            status.setText("Loading cancelled; the previous data stays shown.");
        });
        numericTarget.setId("numericTarget");
        numericTarget.setTooltip(new Tooltip("Predict the label column's value (regression: an Output with 1 unit and a "
                + "linear loss) instead of picking one of its values as a class"));
        numericTarget.setWrapText(true);
        numericTarget.managedProperty().bind(numericTarget.visibleProperty());
        numericTarget.setVisible(false);
        numericTarget.setOnAction(e -> {
            if (!refreshing && project().data() instanceof DataSourceSpec.Csv c) {
                changeSource(new DataSourceSpec.Csv(c.file(), c.labelColumn(), numericTarget.isSelected()));
            }
        });
        sourceLabel.getStyleClass().add(Styles.TEXT_BOLD);
        status.setWrapText(true);
        sourceControls.getChildren().addAll(bundled, folderButton, csvButton, cifarButton);
        Label dataLabel = new Label("Data:");
        // a long file path shortens the source name, never the buttons
        for (Region r : List.of(dataLabel, folderButton, csvButton, cifarButton)) r.setMinWidth(Region.USE_PREF_SIZE);
        sourceLabel.setMinWidth(0);
        HBox bar = new HBox(8, dataLabel, sourceControls, sourceLabel, progress, cancel, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 6, 8));
        HBox.setHgrow(status, Priority.ALWAYS);
        return bar;
    }

    private Node leftPane() {
        validationField.setPrefColumnCount(5);
        testField.setPrefColumnCount(5);
        seedField.setPrefColumnCount(8);
        GridPane split = splitControls;
        split.setHgap(6);
        split.setVgap(4);
        split.addRow(0, new Label("Validation fraction"), validationField);
        split.addRow(1, new Label("Test fraction"), testField);
        split.addRow(2, new Label("Seed"), seedField);
        // in a narrow pane the fields give way, not the names
        for (Node n : List.copyOf(split.getChildren())) if (n instanceof Label l) l.setMinWidth(Region.USE_PREF_SIZE);
        stratified.setWrapText(true); // the whole explanation, on two lines when the column is narrow
        split.add(stratified, 0, 3, 2, 1);
        Button apply = new Button("Apply split");
        apply.setOnAction(e -> applySplit());
        split.add(apply, 0, 4);
        splitError.setWrapText(true);
        splitError.getStyleClass().add(Styles.DANGER);
        Label splitNote = new Label("Sets with their own test set (MNIST, CIFAR-10) keep it; validation comes out of the training data.");
        splitNote.setWrapText(true);
        splitNote.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        VBox box = new VBox(8, overview, numericTarget, ViewParts.sectionTitle("Split"), split, splitError, splitNote);
        box.setPadding(new Insets(8));
        return box;
    }

    private Node rightPane() {
        steps.setId("pipeline-steps");
        steps.setPrefHeight(140);
        steps.setCellFactory(l -> new StepCell());
        steps.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (!refreshing) {
                showEditor();
                schedulePreview();
            }
        });
        MenuButton add = new MenuButton("Add step");
        add.setId("add-step");
        for (StepType.Kind kind : StepType.Kind.values()) {
            Menu menu = new Menu(kind.label());
            for (StepType t : StepType.all()) {
                if (t.kind() != kind) continue;
                MenuItem item = new MenuItem(t.displayName());
                item.setId("add-" + t.id());
                item.setOnAction(e -> addStep(t));
                menu.getItems().add(item);
            }
            add.getItems().add(menu);
        }
        Button remove = new Button("Remove");
        remove.setOnAction(e -> removeStep());
        Button up = new Button("Up");
        up.setOnAction(e -> moveStep(-1));
        Button down = new Button("Down");
        down.setOnAction(e -> moveStep(1));
        stepButtons.getChildren().addAll(add, remove, up, down);
        HBox buttons = stepButtons;
        shapeLine.setWrapText(true);
        setInput.setVisible(false);
        setInput.setManaged(false);
        setInput.setOnAction(e -> setInputToPipelineShape());

        VBox box = new VBox(8, ViewParts.sectionTitle("Pipeline"), steps, buttons, editor, shapeLine, setInput,
                preview);
        box.setPadding(new Insets(8));
        return box;
    }

    private static ScrollPane scroll(Node n) {
        ScrollPane s = new ScrollPane(n);
        s.setFitToWidth(true);
        return s;
    }

    static <T> TableColumn<T, String> column(String name, java.util.function.Function<T, String> value, double width) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cell.getValue())));
        kiln.widgets.util.TableColumns.atLeast(c, width);
        return c;
    }

    // ------------------------------------------------------------------ source and loading

    private void chooseFolder(boolean cifar) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(cifar ? "Choose the CIFAR-10 folder (cifar-10-batches-bin)" : "Choose a folder with one sub-folder per class");
        File dir = chooser.showDialog(ctx.owner());
        if (dir == null) return;
        if (cifar) changeSource(new DataSourceSpec.Cifar10(dir.getAbsolutePath()));
        else useSource(dir.getName(), p -> Optional.of(DataSourceSniffer.imageFolder(dir.toPath())));
    }

    private void chooseCsv() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a CSV file with a header row");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File file = chooser.showOpenDialog(ctx.owner());
        if (file != null) useSource(file.getName(), p -> Optional.of(DataSourceSniffer.csv(file.toPath())));
    }

    private void setUpDragAndDrop() {
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean done = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (done) useDropped(e.getDragboard().getFiles().get(0).toPath());
            e.setDropCompleted(done);
            e.consume();
        });
    }

    /** Makes a dropped file or folder the source once the executor has looked at what it is. */
    void useDropped(Path p) {
        useSource(p.getFileName().toString(), progress -> DataSourceSniffer.sniff(p));
    }

    /** Looks at the file system on the executor, then changes the source or says why not. */
    private void useSource(String name, Work<Optional<DataSourceSpec>> sniff) {
        ctx.executor().submit("Reading " + name, sniff, spec -> {
            if (spec.isPresent()) changeSource(spec.get());
            else status.setText(name + " is neither a folder nor a .csv file; drop a folder of class folders, "
                    + "a CIFAR-10 folder or a CSV file.");
        }, error -> status.setText(error.getMessage()));
    }

    private void changeSource(DataSourceSpec spec) {
        doc.execute(new ValueChange<>("Change the data source", project()::data, project()::setData, spec));
    }

    private record Loaded(DataSplits splits, CsvReader.Report csv, List<String> leftOut) { }

    private void reload() {
        if (loadHandle != null) loadHandle.cancel();
        DataSourceSpec spec = project().data();
        SplitSettings split = project().split();
        Path dir = folder();
        showSource(spec, split);
        showLoading(true);
        status.setText("Loading…");
        loadHandle = ctx.executor().submit("Loading data", p -> {
            DataLoader.Read read = DataLoader.read(spec, dir, split, p);
            return new Loaded(read.splits(), read.csv(), read.leftOut());
        }, result -> {
            showLoading(false);
            loaded = result.splits();
            loadedSpec = spec;
            loadedSplit = split;
            csvReport = result.csv();
            fitter = new PipelineFitter(loaded.train());
            status.setText("");
            overview.show(loaded, csvReport, result.leftOut());
            samples.show(loaded, csvReport != null ? csvReport.featureColumns() : List.of());
            refreshPipeline(true);
        }, error -> {
            showLoading(false);
            loadedSpec = spec;
            loadedSplit = split;
            status.setText("The data cannot be loaded: " + error.getMessage());
            Styles.addStyleClass(status, Styles.DANGER);
        });
        if (loadHandle.runningProperty().get()) {
            progress.progressProperty().bind(loadHandle.progressProperty());
        }
    }

    private void showLoading(boolean on) {
        progress.setVisible(on);
        cancel.setVisible(on);
        if (!on) {
            progress.progressProperty().unbind();
            status.getStyleClass().remove(Styles.DANGER);
        }
    }

    private void showSource(DataSourceSpec spec, SplitSettings split) {
        refreshing = true;
        try {
            if (spec instanceof DataSourceSpec.Bundled b) {
                bundled.getSelectionModel().select(b.name().equals("mnist") ? 0 : 1);
                sourceLabel.setText("");
            } else {
                bundled.getSelectionModel().clearSelection();
                sourceLabel.setText(describeSource(spec, false));
                sourceLabel.setTooltip(new Tooltip(describeSource(spec, true)));
            }
            numericTarget.setVisible(spec instanceof DataSourceSpec.Csv);
            numericTarget.setSelected(spec instanceof DataSourceSpec.Csv c && c.numericTarget());
            validationField.setText(Double.toString(split.validationFraction()));
            testField.setText(Double.toString(split.testFraction()));
            seedField.setText(Long.toString(split.seed()));
            stratified.setSelected(split.stratified());
        } finally {
            refreshing = false;
        }
    }

    /** The source in words; the bar names only the file or folder (the tooltip has the whole path). */
    private static String describeSource(DataSourceSpec spec, boolean fullPath) {
        java.util.function.UnaryOperator<String> where = p -> fullPath ? p : shortName(p);
        if (spec instanceof DataSourceSpec.ImageFolder f) return "Images: " + where.apply(f.folder()) + " (" + f.height() + "×" + f.width() + "×" + f.channels() + ")";
        if (spec instanceof DataSourceSpec.Csv c) return "CSV: " + where.apply(c.file())
                + (c.numericTarget() ? " (target: " + c.labelColumn() + ")" : " (label: " + c.labelColumn() + ")");
        if (spec instanceof DataSourceSpec.Cifar10 c) return "CIFAR-10: " + where.apply(c.folder());
        if (spec instanceof DataSourceSpec.Idx i) return "IDX: " + where.apply(i.trainImages());
        return spec.kind();
    }

    private static String shortName(String path) {
        Path name = Path.of(path).getFileName();
        return name == null ? path : name.toString();
    }

    private void projectChanged() {
        if (!project().data().equals(loadedSpec) || !project().split().equals(loadedSplit)) {
            reload();
        } else {
            refreshPipeline(false);
        }
    }

    // ------------------------------------------------------------------ overview, split, gallery

    /** Four significant digits without trailing zeros: 1, 0.25, 1.235e+04. */
    static String number(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros();
        return Math.abs(v) < 1e6 ? b.toPlainString() : b.toString();
    }

    private void applySplit() {
        try {
            double v = Double.parseDouble(validationField.getText().trim());
            double t = Double.parseDouble(testField.getText().trim());
            long seed = Long.parseLong(seedField.getText().trim());
            String bad = Splitter.check(v, t);
            if (bad != null) {
                splitError.setText(bad);
                return;
            }
            splitError.setText("");
            doc.execute(new ValueChange<>("Change the split", project()::split, project()::setSplit,
                    new SplitSettings(v, t, seed, stratified.isSelected(), project().split().trainingSamples())));
        } catch (NumberFormatException e) {
            splitError.setText("Fractions are numbers such as 0.1, and the seed a whole number.");
        }
    }

    /** For tests: the gallery control. */
    ImageGrid gallery() {
        return samples.gallery();
    }

    BeforeAfterGrid previewGrid() {
        return preview.grid();
    }

    HistogramView histogram() {
        return preview.histogram();
    }

    ListView<PipelineStep> stepList() {
        return steps;
    }

    // ------------------------------------------------------------------ pipeline editing

    private void refreshPipeline(boolean force) {
        Pipeline p = project().pipeline();
        if (!force && p.equals(shownPipeline)) return;
        int selected = steps.getSelectionModel().getSelectedIndex();
        refreshing = true;
        try {
            steps.getItems().setAll(p.steps());
            if (!p.steps().isEmpty()) steps.getSelectionModel().select(Math.max(0, Math.min(selected, p.steps().size() - 1)));
        } finally {
            refreshing = false;
        }
        shownPipeline = p;
        showShapeLine();
        showEditor();
        schedulePreview();
    }

    private void select(int index) {
        refreshing = true;
        try {
            steps.getSelectionModel().select(index);
        } finally {
            refreshing = false;
        }
    }

    private void apply(PipelineEdits.Edit edit) {
        doc.execute(new ValueChange<>(edit.description(), project()::pipeline, project()::setPipeline, new Pipeline(edit.steps())));
    }

    /** What choosing a step from the Add menu does (package-private for tests and the screenshot program). */
    void addStep(StepType t) {
        PipelineEdits.Edit edit = PipelineEdits.add(project().pipeline(), t);
        select(edit.at());
        apply(edit);
        select(edit.at());
        showEditor();
        schedulePreview();
    }

    private void removeStep() {
        PipelineEdits.remove(project().pipeline(), steps.getSelectionModel().getSelectedIndex()).ifPresent(this::apply);
    }

    private void moveStep(int by) {
        PipelineEdits.move(project().pipeline(), steps.getSelectionModel().getSelectedIndex(), by).ifPresent(edit -> {
            select(edit.at());
            apply(edit);
        });
    }

    private void showEditor() {
        editor.show(steps.getSelectionModel().getSelectedIndex());
    }

    // ------------------------------------------------------------------ shapes

    private void showShapeLine() {
        setInput.setVisible(false);
        setInput.setManaged(false);
        if (loaded == null) return;
        TensorShape source = loaded.train().sampleShape();
        List<String> problems = project().pipeline().problems(source);
        if (!problems.isEmpty()) {
            shapeLine.setText(String.join("\n", problems));
            Styles.addStyleClass(shapeLine, Styles.DANGER);
            return;
        }
        shapeLine.getStyleClass().remove(Styles.DANGER);
        TensorShape out = project().pipeline().outputShape(source).orElseThrow();
        Optional<kiln.engine.model.Node> input = project().graph().inputNode();
        if (input.isEmpty()) {
            shapeLine.setText("The pipeline gives samples of " + shapeText(out) + "; the network has no Input yet.");
            return;
        }
        TensorShape expected = Input.shapeOf(input.get().params());
        if (expected.equals(out)) {
            shapeLine.setText("The pipeline gives " + shapeText(out) + ", which the network's Input expects.");
        } else {
            shapeLine.setText("The pipeline gives " + shapeText(out) + " but the network's Input (" + input.get().name() + ") expects " + shapeText(expected) + ".");
            Styles.addStyleClass(shapeLine, Styles.DANGER);
            setInput.setText("Set Input to " + shapeText(out));
            setInput.setVisible(true);
            setInput.setManaged(true);
        }
    }

    /** "28×28×1", "rows of 4 values". */
    static String shapeText(TensorShape s) {
        return s.kind() == TensorShape.Kind.VECTOR ? "rows of " + s.size() + " values" : s.toString();
    }

    private void setInputToPipelineShape() {
        TensorShape out = project().pipeline().outputShape(loaded.train().sampleShape()).orElseThrow();
        project().graph().inputNode()
                .ifPresent(n -> doc.execute(new SetInputShape(project().graph(), n, out)));
        showShapeLine();
    }

    // ------------------------------------------------------------------ preview

    private void schedulePreview() {
        preview.show(fitter, project().pipeline(), steps.getSelectionModel().getSelectedIndex());
    }

    /** One step in the list: a switch, its name and its family. */
    private final class StepCell extends ListCell<PipelineStep> {
        private final CheckBox enabled = new CheckBox();
        private final Label name = new Label();
        private final Label kind = new Label();
        private final HBox box = new HBox(6, enabled, name, ViewParts.spacer(), kind);

        StepCell() {
            box.setAlignment(Pos.CENTER_LEFT);
            kind.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
            enabled.setOnAction(e -> {
                if (getIndex() >= 0) PipelineEdits.setEnabled(project().pipeline(), getIndex(), enabled.isSelected()).ifPresent(DataView.this::apply);
            });
        }

        @Override
        protected void updateItem(PipelineStep s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            enabled.setSelected(s.enabled());
            Optional<StepType> t = StepType.find(s.type());
            name.setText((getIndex() + 1) + ". " + t.map(StepType::displayName).orElse(s.type()));
            if (s.enabled()) name.getStyleClass().remove(Styles.TEXT_SUBTLE);
            else Styles.addStyleClass(name, Styles.TEXT_SUBTLE);
            kind.setText(t.map(x -> x.kind().label()).orElse("unknown"));
            setGraphic(box);
        }
    }

}
