package kiln.app.eval;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import kiln.app.document.ViewContext;
import kiln.engine.data.Dataset;
import kiln.engine.eval.TopActivations;
import kiln.engine.eval.TrainedModel;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.model.ShapeInference;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.eval.Images;
import kiln.widgets.tasks.TaskHandle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * "What excites a unit": choose a layer and one of its units (a channel or a feature) and see the training samples
 * on which it fires most, from one pass over the first samples of the training split on the executor, with
 * progress and cancel. Pictures for images, the rows' values for tables.
 */
final class UnitExplorer extends VBox {

    static final int TOP = 24;

    private final ViewContext context;
    private final RunChooser runChooser;
    /** The evaluation view's model for a run key ("run-2 BEST"), when it has one loaded already. */
    private final Function<String, TrainedModel> loaded;
    private final ComboBox<String> layer = new ComboBox<>();
    private final Spinner<Integer> unit = new Spinner<>(0, 0, 0);
    private final Label units = new Label();
    private final Spinner<Integer> limit = new Spinner<>(100, 60_000, TopActivations.DEFAULT_LIMIT, 500);
    private final Button look = new Button("Find top samples");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final ImageGallery gallery = new ImageGallery();
    private TaskHandle running;
    /** The model this view loaded itself, and for which run key. */
    private TrainedModel own;
    private String ownKey;

    UnitExplorer(ViewContext context, RunChooser runChooser, Function<String, TrainedModel> loaded) {
        super(8);
        this.context = context;
        this.runChooser = runChooser;
        this.loaded = loaded;
        setPadding(new Insets(10));
        layer.setId("exciteLayer");
        unit.setId("exciteUnit");
        unit.setEditable(true);
        unit.setPrefWidth(90);
        limit.setEditable(true);
        limit.setPrefWidth(110);
        look.setId("exciteButton");
        gallery.setId("exciteGallery");
        status.setId("exciteStatus");
        status.setWrapText(true);
        units.getStyleClass().add(Styles.TEXT_MUTED);
        layer.setOnAction(e -> layerChosen());
        look.setOnAction(e -> find());
        cancel.setOnAction(e -> {
            if (running != null) running.cancel();
        });
        for (var n : List.of(progress, cancel)) {
            n.setVisible(false);
            n.managedProperty().bind(n.visibleProperty());
        }
        progress.setPrefWidth(160);
        HBox bar = new HBox(8, new Label("Layer"), layer, new Label("Unit"), unit, units, new Label("Look at"), limit,
                new Label("training samples"), look, progress, cancel);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("The training samples on which the unit fires most, highest first. A channel of feature "
                + "maps counts by its strongest place, so the samples show what the channel looks for, wherever it is.");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.setWrapText(true);
        hint.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        getChildren().addAll(bar, hint, status, gallery);
        VBox.setVgrow(gallery, Priority.ALWAYS);
        gallery.setTiles(List.of(), "Choose a layer and a unit, then press Find top samples.");
        refreshLayers();
    }

    /** The layers of the project's network as it is now (shape inference is quick, no data is read). */
    void refreshLayers() {
        GraphAnalysis a = ShapeInference.analyze(context.document().project().graph());
        String input = context.document().project().graph().inputNode().map(n -> n.name()).orElse("");
        String was = layer.getValue();
        List<String> names = a.order().stream().filter(n -> !n.equals(input))
                .filter(n -> a.get(n) != null && a.get(n).ok()).toList();
        layer.getItems().setAll(names);
        if (names.contains(was)) layer.setValue(was);
        else if (!names.isEmpty()) layer.setValue(names.get(0));
        layerChosen();
    }

    private void layerChosen() {
        String name = layer.getValue();
        if (name == null) return;
        NodeAnalysis a = ShapeInference.analyze(context.document().project().graph()).get(name);
        if (a == null || !a.ok()) return;
        int n = TopActivations.units(a.shape());
        var factory = (javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) unit.getValueFactory();
        factory.setMax(n - 1);
        if (factory.getValue() > n - 1) factory.setValue(0);
        String reduction = TopActivations.reduction(a.shape());
        units.setText(String.format(Locale.ROOT, "of %d (%s%s)", n, a.shape(), reduction.isEmpty() ? "" : ", " + reduction));
    }

    /** Ranks the training samples for the chosen unit on the executor, loading the chosen run first if needed. */
    void find() {
        String run = runChooser.run();
        Path folder = context.document().folder();
        String name = layer.getValue();
        if (run == null || folder == null || name == null) {
            status.setText("Train the network first: its runs appear above.");
            return;
        }
        if (running != null) running.cancel();
        String key = run + " " + runChooser.weights();
        TrainedModel known = loaded.apply(key);
        if (known == null && key.equals(ownKey)) known = own;
        TrainedModel ready = known;
        TrainedModel.Weights weights = runChooser.weights();
        var project = context.document().project();
        int u = unit.getValue();
        int n = limit.getValue();
        record Found(TrainedModel model, TopActivations.Result result) { }
        look.setDisable(true);
        progress.setVisible(true);
        cancel.setVisible(true);
        status.setText("Looking …");
        TaskHandle handle = context.executor().submit("What excites " + name + " unit " + u, p -> {
            TrainedModel model = ready != null ? ready : TrainedModel.load(project, folder, run, weights, p);
            return new Found(model, TopActivations.find(model, name, u, TOP, n, p));
        }, found -> {
            if (found.model() != ready) {
                own = found.model();
                ownKey = key;
            }
            show(found.model(), found.result());
        }, error -> status.setText(error instanceof TrainedModel.UnavailableException || error instanceof IllegalArgumentException
                ? error.getMessage() : "Could not rank the samples: " + error.getMessage()));
        running = handle;
        if (handle.runningProperty().get()) progress.progressProperty().bind(handle.progressProperty());
        handle.whenEnded(() -> done(handle));
    }

    private void done(TaskHandle handle) {
        progress.progressProperty().unbind();
        progress.setVisible(false);
        cancel.setVisible(false);
        look.setDisable(false);
        if (handle.isCancelled()) status.setText("Cancelled.");
    }

    private void show(TrainedModel model, TopActivations.Result r) {
        Dataset train = model.data().splits().train();
        TensorShape shape = train.sampleShape();
        int per = train.sampleLength();
        List<ImageGallery.Tile> tiles = new ArrayList<>();
        for (int k = 0; k < r.top().size(); k++) {
            TopActivations.Entry e = r.top().get(k);
            String cls = train.classNames().get(e.label());
            String caption = String.format(Locale.ROOT, "%s\n%.3g", cls, e.value());
            String details = String.format(Locale.ROOT, "#%d of the top: training sample %d (%s), %s unit %d = %.4f",
                    k + 1, e.sample(), cls, r.layer(), r.unit(), e.value());
            if (shape.kind() == TensorShape.Kind.IMAGE) {
                tiles.add(new ImageGallery.Tile(Images.sample(train.features(), e.sample() * per, shape.height(),
                        shape.width(), shape.channels()), caption, details));
            } else {
                float[] v = Arrays.copyOfRange(train.features(), e.sample() * per, (e.sample() + 1) * per);
                tiles.add(new ImageGallery.Tile(null, String.format(Locale.ROOT, "%s  %.3g  %s", cls, e.value(),
                        row(v)), details + "\nfeature values (after the pipeline): " + Arrays.toString(v)));
            }
        }
        status.setText(String.format(Locale.ROOT, "%s unit %d%s, %s: the top %d of the first %,d training samples.",
                r.layer(), r.unit(), r.reduction().isEmpty() ? "" : " (" + r.reduction() + ")", model.describe(),
                r.top().size(), r.scanned()));
        gallery.setTiles(tiles, "No training samples.");
    }

    /** The first values of a row of features, for a text tile. */
    private static String row(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(5, v.length); i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v[i]));
        return sb.append(v.length > 5 ? ", …]" : "]").toString();
    }

    ImageGallery gallery() {
        return gallery;
    }

    void dispose() {
        if (running != null) running.cancel();
    }
}
