package kiln.widgets.graph;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import kiln.engine.data.pipeline.Histogram;
import kiln.engine.eval.LayerStatistics;
import kiln.engine.eval.SampleTrace;
import kiln.engine.shape.TensorShape;
import kiln.widgets.charts.HistogramView;
import kiln.widgets.eval.Images;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A larger view of one layer while following a sample: every channel of its output for that sample, its weights
 * (a first convolution's filters as pictures, a Dense layer's weight matrix as a heat map) and value histograms
 * of the activations and the weights.
 */
public final class LayerView extends ScrollPane {

    private static final double MIN_CHANNEL = 40;
    private static final double MAX_CHANNEL = 72;
    private static final double FILTER = 40;
    private static final int BINS = 40;
    private static final int HEAT_SIDE = 256;

    private final Label title = new Label();
    private final Label outputCaption = new Label();
    private final FlowPane channels = new FlowPane(4, 4);
    private final Label weightsCaption = new Label();
    private final FlowPane weights = new FlowPane(4, 4);
    private final HistogramView histograms = new HistogramView();

    public LayerView() {
        getStyleClass().add("layer-view");
        setId("layerView");
        title.getStyleClass().add("title-4");
        outputCaption.getStyleClass().add("text-muted");
        weightsCaption.getStyleClass().add("text-muted");
        outputCaption.setWrapText(true);
        weightsCaption.setWrapText(true);
        channels.setId("layerViewChannels");
        weights.setId("layerViewWeights");
        histograms.setPrefHeight(200);
        histograms.setMinWidth(280);
        histograms.setPrefWidth(360);
        VBox output = new VBox(6, outputCaption, channels);
        VBox weightBox = new VBox(6, weightsCaption, weights);
        HBox.setHgrow(output, javafx.scene.layout.Priority.ALWAYS);
        weightBox.setPrefWidth(360);
        HBox body = new HBox(16, output, new VBox(10, weightBox, histograms));
        VBox content = new VBox(8, title, body);
        content.setPadding(new Insets(10));
        setContent(content);
        setFitToWidth(true);
        showNothing("Select a layer to see every channel it makes of the sample, and its weights.");
    }

    /** Says what to do instead of showing a layer. */
    public void showNothing(String hint) {
        title.setText("Layer view");
        outputCaption.setText(hint);
        channels.getChildren().clear();
        weightsCaption.setText("");
        weights.getChildren().clear();
        histograms.show(null, "", null, "");
    }

    /**
     * @param caption  which layer, weights and sample, e.g. "conv1 (Conv2D) · run-2, epoch 3 · test sample 17"
     */
    public void show(String caption, SampleTrace.Layer layer, Optional<SampleTrace.Weight> weight) {
        title.setText(caption);
        LayerStatistics s = layer.statistics();
        outputCaption.setText(String.format(Locale.ROOT, "Output for this sample: %s — mean %.3g, std %.3g, min %.3g, "
                + "max %.3g, %.0f %% zeros", layer.shape(), s.mean(), s.std(), s.min(), s.max(), 100 * s.zeroShare()));
        channels.getChildren().setAll(outputPictures(layer));
        weights.getChildren().clear();
        if (weight.isPresent()) {
            SampleTrace.Weight w = weight.get();
            weightsCaption.setText(weightText(w));
            weights.getChildren().setAll(weightPictures(w));
            histograms.show(Histogram.of(layer.values(), BINS), "activations", Histogram.of(w.values(), BINS), "weights");
        } else {
            weightsCaption.setText("This layer has no weights: it computes its output from its input alone.");
            histograms.show(Histogram.of(layer.values(), BINS), "activations", null, "");
        }
    }

    /** The line above the pictures: the layer's statistics, or why no layer is shown. */
    public String hint() {
        return outputCaption.getText();
    }

    /** The pictures of the layer's output, one per channel for feature maps (the test counts them). */
    public List<javafx.scene.Node> channelPictures() {
        return List.copyOf(channels.getChildren());
    }

    private static List<javafx.scene.Node> outputPictures(SampleTrace.Layer layer) {
        TensorShape shape = layer.shape();
        return switch (shape.kind()) {
            case IMAGE -> {
                double side = Math.max(MIN_CHANNEL, Math.min(MAX_CHANNEL, 2.5 * Math.max(shape.height(), shape.width())));
                java.util.ArrayList<javafx.scene.Node> out = new java.util.ArrayList<>();
                for (int c = 0; c < shape.channels(); c++) {
                    ImageView v = picture(LayerThumbnail.featureMap(layer.values(), c, shape.height(), shape.width()), side);
                    Tooltip.install(v, new Tooltip("channel " + c));
                    out.add(v);
                }
                yield out;
            }
            case SEQUENCE -> List.of(picture(LayerThumbnail.featureMap(layer.values(), 0, shape.length(), shape.features()), 240));
            case VECTOR -> List.of(LayerThumbnail.bars(layer.values(), Math.max(240, Math.min(720, 4.0 * layer.values().length)), 96));
        };
    }

    private static String weightText(SampleTrace.Weight w) {
        long[] d = w.shape();
        String stats = String.format(Locale.ROOT, "mean %.3g, std %.3g, min %.3g, max %.3g", w.statistics().mean(),
                w.statistics().std(), w.statistics().min(), w.statistics().max());
        if (d.length == 4 && (d[1] == 1 || d[1] == 3)) {
            return String.format(Locale.ROOT, "Weights: %d filters of %d×%d over %d input channel%s, drawn as pictures "
                    + "(light = positive) — %s", d[0], d[2], d[3], d[1], d[1] == 1 ? "" : "s (as colour)", stats);
        }
        if (d.length == 4) {
            return String.format(Locale.ROOT, "Weights: %d filters of %d×%d over %d channels; each filter's first "
                    + "input channel is drawn — %s", d[0], d[2], d[3], d[1], stats);
        }
        if (d.length == 2) {
            return String.format(Locale.ROOT, "Weights: %d × %d matrix (a row per unit, a column per input), red "
                    + "positive, blue negative — %s", d[0], d[1], stats);
        }
        return "Weights: " + java.util.Arrays.toString(d) + " — " + stats;
    }

    private static List<javafx.scene.Node> weightPictures(SampleTrace.Weight w) {
        long[] d = w.shape();
        float[] v = w.values();
        if (d.length == 4) {
            int out = (int) d[0];
            int in = (int) d[1];
            int kh = (int) d[2];
            int kw = (int) d[3];
            int per = in * kh * kw;
            java.util.ArrayList<javafx.scene.Node> pictures = new java.util.ArrayList<>();
            for (int f = 0; f < out; f++) {
                Image img = in == 3 ? Images.sample(v, f * per, kh, kw, 3)
                        : LayerThumbnail.featureMap(java.util.Arrays.copyOfRange(v, f * per, f * per + kh * kw), 0, kh, kw);
                ImageView view = picture(img, FILTER);
                Tooltip.install(view, new Tooltip("filter " + f));
                pictures.add(view);
            }
            return pictures;
        }
        int rows = d.length >= 2 ? (int) d[0] : 1;
        int columns = v.length / Math.max(1, rows);
        ImageView view = picture(LayerThumbnail.heatMap(v, rows, columns, HEAT_SIDE), 0);
        view.setFitWidth(Math.min(340, Math.max(120, columns)));
        view.setFitHeight(Math.min(240, Math.max(60, rows)));
        view.setPreserveRatio(false);
        return List.of(view);
    }

    private static ImageView picture(Image img, double side) {
        ImageView v = new ImageView(img);
        v.setSmooth(false);
        v.setPreserveRatio(true);
        if (side > 0) v.setFitWidth(side);
        v.getStyleClass().add("layer-view-picture");
        return v;
    }
}
