package kiln.app.eval;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import kiln.engine.data.DataFormatException;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.DrawingPad;
import kiln.widgets.eval.Images;
import kiln.widgets.eval.ProbabilityBars;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static kiln.app.eval.TestResultsPane.title;

/**
 * Try it: draw a digit, drop or open an image, or type a row of features, and see the class probabilities with
 * what the answer rests on (a saliency or Grad-CAM map for an image, feature attributions for a row). Inference
 * runs on the executor, and a newer input cancels the inference still running for an older one.
 */
final class TryItPane extends VBox {

    private static final String SALIENCY = "Saliency (the input's gradient)";
    private static final String GRAD_CAM_AT = "Grad-CAM at ";
    /** Features listed for a row, largest share first. */
    private static final int FEATURES_SHOWN = 8;

    private final TaskExecutor executor;
    private final Window owner;
    /** Where problems and loaded files are reported (the tab's status line). */
    private final Consumer<String> status;
    private final ProbabilityBars bars = new ProbabilityBars();
    private final Label verdict = new Label();
    private final ImageView inputView = new ImageView();
    private final ImageView saliencyView = new ImageView();
    /** How an image is explained: Grad-CAM at one of the feature-map layers, or the input's gradient. */
    private final ComboBox<String> explainMethod = new ComboBox<>();
    private final Label explainTitle = new Label();
    private final Label explainHint = new Label();
    /** For a row of features: which features spoke for or against the predicted class. */
    private final VBox attributions = new VBox(2);
    /** The raw input and the class explained last, for explaining again with another method. */
    private float[] explainedRaw;
    private int explainedClass = -1;
    private DrawingPad pad;
    private TextField rowField;
    private TaskHandle prediction;
    private TaskHandle saliency;
    private Predictor predictor;

    TryItPane(TaskExecutor executor, Window owner, Consumer<String> status) {
        super(10);
        this.executor = executor;
        this.owner = owner;
        this.status = status;
        setPadding(new Insets(12));
        explainMethod.setId("explainMethod");
        explainTitle.getStyleClass().add(Styles.TEXT_BOLD);
        explainTitle.setWrapText(true);
        explainHint.getStyleClass().add(Styles.TEXT_MUTED);
        explainHint.setWrapText(true);
        // Wrapped labels in a narrow column take the height their lines need instead of ending in "…".
        explainTitle.setMinHeight(Region.USE_PREF_SIZE);
        explainHint.setMinHeight(Region.USE_PREF_SIZE);
    }

    /** Shows a note (or a progress bar) instead of the inputs, e.g. while a run loads. */
    void showNote(javafx.scene.Node... nodes) {
        getChildren().setAll(nodes);
    }

    /** The network Try it runs, or null before one is loaded. */
    TrainedModel model() {
        return predictor == null ? null : predictor.model();
    }

    /** Lets the student try this network: inputs made for its input shape. */
    void show(TrainedModel model) {
        cancel();
        predictor = new Predictor(model);
        build(model);
    }

    /** Cancels the inference still running. */
    void cancel() {
        if (prediction != null) prediction.cancel();
        if (saliency != null) saliency.cancel();
    }

    static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        return l;
    }


    private void build(TrainedModel model) {
        TensorShape shape = model.inputShape();
        bars.setValues(model.classNames(), new float[model.classNames().size()]);
        bars.clear();
        verdict.setText("");
        verdict.setId("tryItVerdict");
        verdict.getStyleClass().add("verdict");
        bars.setId("probabilityBars");
        VBox answer = new VBox(8, title("Class probabilities"), verdict, bars);
        answer.setMinWidth(300);
        HBox.setHgrow(answer, Priority.ALWAYS);
        if (shape.kind() == TensorShape.Kind.IMAGE) {
            double size = Math.max(224, Math.min(336, 10.0 * shape.width()));
            pad = new DrawingPad(shape.height(), shape.width(), size);
            pad.setId("drawingPad");
            // Probabilities follow every stroke step; the slower saliency map follows each finished stroke.
            pad.setOnChange(() -> requestPrediction(pad.sample(shape.channels()), false));
            pad.setOnStrokeEnd(() -> requestPrediction(pad.sample(shape.channels()), true));
            pad.setOnDragOver(e -> {
                if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
                e.consume();
            });
            pad.setOnDragDropped(e -> {
                boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
                if (ok) loadImage(e.getDragboard().getFiles().get(0).toPath(), shape);
                e.setDropCompleted(ok);
                e.consume();
            });
            Button clear = new Button("Clear");
            clear.setOnAction(e -> pad.clear());
            Button open = new Button("Open image…");
            open.setOnAction(e -> {
                FileChooser chooser = new FileChooser();
                chooser.setTitle("Choose an image to classify");
                chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg"));
                File f = chooser.showOpenDialog(owner);
                if (f != null) loadImage(f.toPath(), shape);
            });
            VBox drawing = new VBox(8, title("Draw here (right button erases), or drop an image file"), pad, new HBox(8, clear, open));
            for (ImageView v : List.of(inputView, saliencyView)) {
                v.setSmooth(false);
                v.setPreserveRatio(true);
                v.setFitWidth(168);
            }
            // The heat map over a faint copy of the input, so the hot pixels can be placed on the drawing.
            saliencyView.setBlendMode(javafx.scene.effect.BlendMode.SCREEN);
            inputView.setId("networkInput");
            saliencyView.setId("saliencyMap");
            ImageView under = new ImageView();
            under.imageProperty().bind(inputView.imageProperty());
            under.setSmooth(false);
            under.setPreserveRatio(true);
            under.setFitWidth(168);
            under.setOpacity(0.3);
            StackPane overlay = new StackPane(under, saliencyView);
            overlay.setAlignment(Pos.TOP_LEFT);
            overlay.getStyleClass().add("saliency-frame");
            overlay.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
            List<String> methods = new ArrayList<>();
            List<String> camLayers = predictor.gradCamLayers();
            for (int i = camLayers.size() - 1; i >= 0; i--) methods.add(GRAD_CAM_AT + camLayers.get(i));
            methods.add(SALIENCY);
            explainMethod.getItems().setAll(methods);
            explainMethod.setOnAction(e -> explainAgain(shape));
            explainMethod.getSelectionModel().selectFirst(); // the last layer of feature maps, as Grad-CAM is meant
            describeExplanation();
            VBox seen = new VBox(6, title("What the network sees"), inputView, explainMethod, explainTitle, overlay,
                    explainHint);
            seen.setMaxWidth(200);
            HBox row = new HBox(24, drawing, seen, answer);
            getChildren().setAll(row);
        } else {
            int size = Math.toIntExact(shape.elementCount());
            rowField = new TextField();
            rowField.setId("csvRow");
            rowField.setPromptText(size + " numbers separated by commas, in the order of the data's columns");
            rowField.textProperty().addListener((o, a, text) -> {
                try {
                    requestPrediction(Predictor.parseRow(text, size), false);
                } catch (IllegalArgumentException ex) {
                    if (prediction != null) prediction.cancel();
                    verdict.setText("");
                    bars.clear();
                    status.accept("Row: " + ex.getMessage() + ".");
                }
            });
            attributions.setId("attributions");
            attributions.getChildren().clear();
            VBox input = new VBox(8, title("Type a row of " + size + " feature values"), rowField,
                    title("What the answer rests on"), attributions,
                    hint("Gradient × input: how much each feature (after the pipeline) adds to the predicted class's "
                            + "score (+) or takes from it (−), to first order."));
            input.setMinWidth(360);
            getChildren().setAll(new HBox(24, input, answer));
        }
        Region spacer = new Region();
        VBox.setVgrow(spacer, Priority.ALWAYS);
        getChildren().add(spacer);
    }

    private void loadImage(Path file, TensorShape shape) {
        try {
            float[] raw = Predictor.readImage(file, shape);
            float[] grey = new float[shape.height() * shape.width()];
            for (int c = 0; c < shape.channels(); c++) {
                for (int i = 0; i < grey.length; i++) grey[i] += raw[c * grey.length + i] / shape.channels();
            }
            pad.setPixels(grey);
            if (shape.channels() > 1) requestPrediction(raw, true); // keep the colours for a colour network
            status.accept("Loaded " + file.getFileName());
        } catch (DataFormatException e) {
            status.accept(e.getMessage());
        }
    }

    /** Predicts for the newest input only: a running request for an older input is cancelled. */
    private void requestPrediction(float[] raw, boolean withSaliency) {
        if (predictor == null) return;
        if (prediction != null) prediction.cancel();
        if (saliency != null) saliency.cancel(); // a finished stroke asks for a fresh map
        Predictor p = predictor;
        TensorShape shape = p.model().inputShape();
        prediction = executor.submit("Predicting", progress -> {
            progress.checkCancelled();
            float[] x = p.preprocess(raw);
            Predictor.Prediction pr = p.predictPreprocessed(x);
            // A row's attributions are one backward pass, cheap enough to follow every keystroke.
            float[] a = shape.kind() == TensorShape.Kind.IMAGE ? null : p.attributions(raw, pr.predicted());
            return new Object[] {x, pr, a};
        }, out -> {
            float[] x = (float[]) out[0];
            Predictor.Prediction pr = (Predictor.Prediction) out[1];
            bars.setValues(pr.classNames(), pr.probabilities());
            verdict.setText(String.format(Locale.ROOT, "Looks like %s (%.0f%%)", pr.classNames().get(pr.predicted()),
                    100 * pr.confidence()));
            if (shape.kind() == TensorShape.Kind.IMAGE) {
                inputView.setImage(Images.sample(x, 0, shape.height(), shape.width(), shape.channels()));
                if (withSaliency) requestSaliency(raw, pr.predicted(), shape);
            } else {
                showAttributions((float[]) out[2], pr);
            }
        }, error -> status.accept("Prediction failed: " + error.getMessage()));
    }

    /** The heat map of the chosen method for the predicted class, off the JavaFX thread. */
    private void requestSaliency(float[] raw, int cls, TensorShape shape) {
        Predictor p = predictor;
        explainedRaw = raw;
        explainedClass = cls;
        String method = explainMethod.getValue() == null ? SALIENCY : explainMethod.getValue();
        saliency = executor.submit("Explaining", progress -> {
            progress.checkCancelled();
            return method.startsWith(GRAD_CAM_AT)
                    ? p.gradCam(raw, cls, method.substring(GRAD_CAM_AT.length())).map()
                    : p.saliency(raw, cls, progress);
        }, map -> saliencyView.setImage(Images.heatMap(map, shape.height(), shape.width())),
                error -> status.accept("Explaining failed: " + error.getMessage()));
    }

    /** Another method chosen: the same input explained again. */
    private void explainAgain(TensorShape shape) {
        describeExplanation();
        if (explainedRaw == null || predictor == null) return;
        if (saliency != null) saliency.cancel();
        requestSaliency(explainedRaw, explainedClass, shape);
    }

    private void describeExplanation() {
        String method = explainMethod.getValue();
        if (method != null && method.startsWith(GRAD_CAM_AT)) {
            String layer = method.substring(GRAD_CAM_AT.length());
            explainTitle.setText("Grad-CAM: where " + layer + " found the evidence");
            explainHint.setText("Brighter means " + layer + "'s feature maps there raise the predicted class's score "
                    + "most. Earlier layers give finer maps.");
        } else {
            explainTitle.setText("Saliency: the pixels that sway the answer most");
            explainHint.setText("Brighter means a small change of that pixel moves the predicted class's score more.");
        }
    }

    /** The features that weigh most for the predicted class, with their sign. */
    private void showAttributions(float[] a, Predictor.Prediction pr) {
        List<Integer> order = java.util.stream.IntStream.range(0, a.length).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> -Math.abs(a[i]))).limit(FEATURES_SHOWN).toList();
        attributions.getChildren().setAll(order.stream().map(i -> {
            Label l = new Label(String.format(Locale.ROOT, "feature %d   %+.3f   %s", i + 1, a[i],
                    a[i] >= 0 ? "for " + pr.classNames().get(pr.predicted()) : "against"));
            l.getStyleClass().add(a[i] >= 0 ? Styles.SUCCESS : Styles.DANGER);
            return (javafx.scene.Node) l;
        }).toList());
    }

    ProbabilityBars bars() {
        return bars;
    }

    DrawingPad pad() {
        return pad;
    }
}
