package kiln.app.follow;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import kiln.app.document.ProjectDocument;
import kiln.engine.data.DataFormatException;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.SampleTrace;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import kiln.engine.shape.TensorShape;
import kiln.widgets.graph.GraphCanvas;
import kiln.widgets.graph.GraphEditor;
import kiln.widgets.graph.LayerThumbnail;
import kiln.widgets.graph.LayerView;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * "Follow a sample" in the model editor: pick a test sample (or drop an image), choose whose weights see it
 * (untrained, a run's best, or a run's epochs on a scrubber), and every layer on the canvas shows what it made of
 * it; the selected layer opens larger below the canvas. The forward pass runs on the executor; a result for a pick
 * that has been replaced meanwhile is dropped. Off until the toggle turns it on, so the canvas stays clean.
 */
public final class FollowSamplePane {

    /** Models built from other weights are kept, so scrubbing back and forth reads each file once. */
    private static final int KEPT_MODELS = 12;

    private final ProjectDocument document;
    private final TaskExecutor executor;
    private final GraphEditor editor;
    private final BorderPane root = new BorderPane();
    private final SplitPane split = new SplitPane();
    private final ToggleButton toggle = new ToggleButton("Follow a sample");
    private final HBox controls = new HBox(8);
    private final Label sampleLabel = new Label();
    private final ChoiceBox<FollowChoices.Choice> weights = new ChoiceBox<>();
    private final Slider epoch = new Slider(1, 1, 1);
    private final Label epochLabel = new Label();
    private final Label status = new Label();
    private final LayerView layerView = new LayerView();
    private final SamplePicker picker;
    private final DrawingPicker drawing;
    private final Button draw;
    private final Random random = new Random();
    /** The models built on the current data, by weights; replaced with the data, so a late one for older data is not kept. */
    private Map<String, SampleTrace> traces = keptModels();

    /** The loaded data (and some weights), rebuilt when the project changes; null until following starts. */
    private TrainedModel base;
    private long baseRevision = -1;
    private List<Object> preparedFor = List.of();
    private TaskHandle preparing;
    private TaskHandle following;
    /** Counts picks, so that the result of an older one is not shown after a newer one. */
    private long generation;
    private int sample;
    /** A sample from a dropped file (raw values), followed instead of the test split's when set. */
    private float[] dropped;
    private String droppedName;
    private SampleTrace.Result shown;
    private SampleTrace shownTrace;
    private boolean listing;

    public FollowSamplePane(ProjectDocument document, TaskExecutor executor, GraphEditor editor) {
        this.document = document;
        this.executor = executor;
        this.editor = editor;
        this.picker = new SamplePicker(this::pick);
        this.drawing = new DrawingPicker(raw -> followRaw(raw, "your drawing"));
        toggle.setId("followToggle");
        toggle.setTooltip(new Tooltip("Show what every layer makes of one sample, before and after training"));
        toggle.selectedProperty().addListener((o, was, on) -> {
            if (on) start();
            else stop();
        });
        Button previous = button("◀", "followPrevious", "The previous test sample", () -> pick(sample - 1));
        Button next = button("▶", "followNext", "The next test sample", () -> pick(sample + 1));
        Button any = button("Random", "followRandom", "A random test sample", () -> {
            if (base != null) pick(random.nextInt(base.test().size()));
        });
        draw = button("Draw…", "followDraw", "Draw a sample yourself (image models); each stroke is followed", () -> { });
        Button choose = button("Choose…", "followChoose", "Pick a sample from the test split's gallery", () -> { });
        choose.setOnAction(e -> {
            if (base != null) picker.show(choose, base, sample);
        });
        draw.setOnAction(e -> {
            if (base != null && base.inputShape().kind() == TensorShape.Kind.IMAGE) drawing.show(draw, base.inputShape());
        });
        sampleLabel.setId("followSample");
        sampleLabel.setMinWidth(90);
        weights.setId("followWeights");
        weights.valueProperty().addListener((o, a, b) -> weightsChanged());
        epoch.setId("followEpoch");
        epoch.setMajorTickUnit(1);
        epoch.setMinorTickCount(0);
        epoch.setSnapToTicks(true);
        epoch.setBlockIncrement(1);
        epoch.setShowTickMarks(true);
        epoch.setPrefWidth(180);
        epoch.valueProperty().addListener((o, a, b) -> {
            if (!listing && Math.round(a.doubleValue()) != Math.round(b.doubleValue())) follow();
        });
        epochLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        status.getStyleClass().add("text-muted");
        controls.getChildren().addAll(new Label("Sample"), previous, sampleLabel, next, any, choose, draw,
                new Separator(Orientation.VERTICAL), new Label("Weights"), weights, epoch, epochLabel, status);
        controls.setAlignment(Pos.CENTER_LEFT);
        for (var c : controls.getChildren()) {
            if (c instanceof javafx.scene.control.Control control && c != status && c != sampleLabel) {
                control.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        }
        status.setMinWidth(0);
        HBox.setHgrow(status, javafx.scene.layout.Priority.ALWAYS);
        toggle.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        controls.setVisible(false);
        HBox bar = new HBox(10, toggle, controls);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add("follow-bar");
        // An image dropped on the bar is followed as it is (resized, grey or colour as the Input wants).
        bar.setOnDragOver(e -> {
            if (base != null && e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
        });
        bar.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            e.setDropCompleted(!files.isEmpty());
            if (!files.isEmpty()) followFile(files.get(0).toPath());
        });
        split.setOrientation(Orientation.VERTICAL);
        split.getItems().add(editor);
        root.setTop(bar);
        root.setCenter(split);
        editor.canvas().selectedNodes().addListener((ListChangeListener<String>) c -> showSelected());
        document.revisionProperty().addListener(onRevision);
        document.followRequestProperty().addListener(onRequest);
    }

    /** A sample the Data tab's gallery asks to follow: following turns on (if off) and follows it. */
    private final javafx.beans.value.ChangeListener<ProjectDocument.FollowRequest> onRequest = (o, was, request) -> {
        if (request == null) return;
        dropped = request.raw();
        droppedName = request.name();
        if (toggle.isSelected()) follow();
        else toggle.setSelected(true);
    };

    private final javafx.beans.value.ChangeListener<Number> onRevision = (o, a, b) -> {
        if (!toggle.isSelected()) return;
        if (whatFollowingReads().equals(preparedFor)) {
            baseRevision = b.longValue(); // a layer moved or was renamed back: the same network and data
            return;
        }
        prepare();
    };

    /** What the loaded model depends on: the layers (not where they stand), connections, data, pipeline, split, seed. */
    private List<Object> whatFollowingReads() {
        Project p = document.project();
        return List.of(p.graph().nodes().stream().map(n -> n.withPosition(0, 0)).toList(), List.copyOf(p.graph().edges()),
                p.data(), p.pipeline(), p.split(), p.training());
    }

    /** Stops following and lets go of the document (the view is closing). */
    public void dispose() {
        toggle.setSelected(false);
        document.revisionProperty().removeListener(onRevision);
        document.followRequestProperty().removeListener(onRequest);
    }

    public javafx.scene.Node node() {
        return root;
    }

    public ToggleButton toggle() {
        return toggle;
    }

    public ChoiceBox<FollowChoices.Choice> weightsChoice() {
        return weights;
    }

    public Slider epochSlider() {
        return epoch;
    }

    public LayerView layerView() {
        return layerView;
    }

    /** What the canvas shows now (the newest result applied), or null. */
    public SampleTrace.Result shown() {
        return shown;
    }

    /** Follows test sample {@code index} (wrapping around the test split). */
    public void pick(int index) {
        if (base == null) return;
        int n = base.test().size();
        sample = ((index % n) + n) % n;
        dropped = null;
        follow();
    }

    private void start() {
        controls.setVisible(true);
        if (!split.getItems().contains(layerView)) {
            split.getItems().add(layerView);
            split.setDividerPositions(0.62);
        }
        prepare();
    }

    private void stop() {
        generation++;
        if (preparing != null) preparing.cancel();
        if (following != null) following.cancel();
        controls.setVisible(false);
        split.getItems().remove(layerView);
        clearThumbnails();
        shown = null;
    }

    private void clearThumbnails() {
        GraphCanvas canvas = editor.canvas();
        for (var n : document.project().graph().nodes()) canvas.setDecoration(n.name(), null);
    }

    /** Loads the data (and lists the runs) for the project as it is now; the weights are chosen afterwards. */
    private void prepare() {
        if (preparing != null) preparing.cancel();
        Project project = document.project();
        Path folder = document.folder();
        long revision = document.revisionProperty().get();
        List<Object> reads = whatFollowingReads();
        status.setText("Loading the data …");
        record Prepared(TrainedModel base, List<FollowChoices.Choice> choices) { }
        preparing = executor.submit("Preparing to follow a sample", p -> {
            List<FollowChoices.Choice> choices = FollowChoices.list(folder);
            // The data as the newest run saw it (runs may train on the first samples only), so its weights fit.
            int limit = choices.size() > 1 ? TrainedModel.chooseRun(folder, choices.get(1).runId()).readRecord().limitTrain() : 0;
            TrainedModel model = TrainedModel.untrained(project, folder, limit, p);
            return new Prepared(model, choices);
        }, prepared -> {
            traces = keptModels();
            base = prepared.base();
            baseRevision = revision;
            preparedFor = reads;
            if (sample >= base.test().size()) sample = 0;
            // a drawing or a dropped image made for another input shape no longer fits: back to the test sample
            if (dropped != null && dropped.length != base.inputShape().elementCount()) dropped = null;
            draw.setDisable(base.inputShape().kind() != TensorShape.Kind.IMAGE);
            FollowChoices.Choice before = weights.getValue();
            listing = true;
            weights.getItems().setAll(prepared.choices());
            weights.setValue(prepared.choices().stream().filter(c -> before != null && c.key(0).equals(before.key(0))).findFirst()
                    .orElse(prepared.choices().size() > 1 ? prepared.choices().get(1) : prepared.choices().get(0)));
            listing = false;
            weightsChanged();
        }, error -> {
            base = null;
            preparedFor = List.of();
            clearThumbnails();
            layerView.showNothing(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                    : "Could not prepare the data: " + error.getMessage());
            status.setText("");
        });
    }

    private void weightsChanged() {
        if (listing) return;
        FollowChoices.Choice c = weights.getValue();
        boolean scrub = c != null && c.kind() == FollowChoices.Kind.EPOCHS;
        epoch.setVisible(scrub);
        epochLabel.setVisible(scrub);
        if (scrub) {
            int last = c.epochs().get(c.epochs().size() - 1);
            listing = true; // one pass for the new weights, not one per slider change
            epoch.setMin(c.epochs().get(0));
            epoch.setMax(last);
            epoch.setValue(c.bestEpoch() > 0 && c.epochs().contains(c.bestEpoch()) ? c.bestEpoch() : last);
            listing = false;
        }
        follow();
    }

    private int chosenEpoch() {
        return (int) Math.round(epoch.getValue());
    }

    /** Runs the chosen sample through the chosen weights on the executor and shows the newest result. */
    private void follow() {
        FollowChoices.Choice choice = weights.getValue();
        if (base == null || choice == null || !toggle.isSelected()) return;
        if (baseRevision != document.revisionProperty().get()) return; // prepare() is on its way
        long pick = ++generation;
        TrainedModel from = base;
        Map<String, SampleTrace> kept = traces;
        int ep = chosenEpoch();
        int index = sample;
        float[] raw = dropped;
        String selected = selectedLayer();
        if (choice.kind() == FollowChoices.Kind.EPOCHS) epochLabel.setText("epoch " + ep + " of " + choice.epochs().get(choice.epochs().size() - 1));
        sampleLabel.setText(raw != null ? droppedName : sampleText(index));
        if (following != null) following.cancel();
        record Followed(SampleTrace trace, SampleTrace.Result result, Map<String, LayerThumbnail.Picture> pictures,
                        Optional<SampleTrace.Weight> weight) { }
        following = executor.submit("Following a sample", p -> {
            SampleTrace trace = traceFor(kept, from, choice, ep);
            p.checkCancelled();
            SampleTrace.Result r = raw != null ? trace.ofRaw(raw) : trace.ofTestSample(index);
            // the thumbnails' pixels too, so the JavaFX thread only copies them in
            Map<String, LayerThumbnail.Picture> pictures = LayerThumbnail.pictures(r, trace.model().outputNode().name());
            return new Followed(trace, r, pictures, selected == null ? Optional.empty() : trace.weight(selected));
        }, f -> {
            if (pick != generation) return; // a newer pick is on its way
            status.setText("");
            show(f.trace(), f.result(), f.pictures(), selected, f.weight());
        }, error -> {
            if (pick != generation) return;
            clearThumbnails();
            shown = null;
            status.setText("");
            layerView.showNothing(error instanceof TrainedModel.UnavailableException ? error.getMessage()
                    : "Could not follow the sample: " + error.getMessage());
        });
    }

    private static SampleTrace traceFor(Map<String, SampleTrace> kept, TrainedModel from, FollowChoices.Choice choice, int ep)
            throws TrainedModel.UnavailableException {
        String key = choice.key(ep);
        SampleTrace known = kept.get(key);
        if (known != null) return known;
        SampleTrace made = new SampleTrace(choice.build(from, ep)); // outside the lock: it reads a weights file
        kept.put(key, made);
        return made;
    }

    private void show(SampleTrace trace, SampleTrace.Result result, Map<String, LayerThumbnail.Picture> pictures, String selected,
                      Optional<SampleTrace.Weight> weight) {
        shown = result;
        shownTrace = trace;
        LayerThumbnail.show(editor.canvas(), pictures);
        showLayer(selected, weight);
    }

    private void showSelected() {
        if (shown == null) return;
        String selected = selectedLayer();
        if (selected == null) {
            layerView.showNothing("Select a layer to see every channel it makes of the sample, and its weights.");
            return;
        }
        follow(); // the weights of the newly selected layer are read off the JavaFX thread, with the sample again
    }

    private void showLayer(String selected, Optional<SampleTrace.Weight> weight) {
        if (selected == null) {
            layerView.showNothing("Select a layer to see every channel it makes of the sample, and its weights.");
            return;
        }
        shown.layer(selected).ifPresentOrElse(l -> layerView.show(selected + " (" + document.project().graph().node(selected)
                        .type().displayName() + ") · " + shownTrace.model().describe() + " · " + sampleLabel.getText(), l, weight),
                () -> layerView.showNothing(selected + " has no output for this sample."));
    }

    private String selectedLayer() {
        var sel = editor.canvas().selectedNodes();
        return sel.isEmpty() ? null : sel.get(sel.size() - 1);
    }

    private String sampleText(int index) {
        var test = base.test();
        return String.format(Locale.ROOT, "test #%,d of %,d: %s", index + 1, test.size(),
                test.labelText(index));
    }

    private void followFile(Path file) {
        var shape = base.inputShape();
        executor.submit("Reading " + file.getFileName(), p -> Predictor.readImage(file, shape),
                raw -> followRaw(raw, file.getFileName().toString()), error -> status.setText(error instanceof DataFormatException ? error.getMessage()
                : "Could not read " + file.getFileName() + ": " + error.getMessage()));
    }

    /** Follows raw input values (a dropped file or a drawing) instead of a test sample. */
    private void followRaw(float[] raw, String name) {
        dropped = raw;
        droppedName = name;
        follow();
    }

    private static Map<String, SampleTrace> keptModels() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SampleTrace> eldest) {
                return size() > KEPT_MODELS;
            }
        });
    }

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setMnemonicParsing(false);
        return b;
    }
}
