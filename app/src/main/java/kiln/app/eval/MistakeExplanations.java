package kiln.app.eval;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import kiln.engine.data.Dataset;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.ImageGallery;
import kiln.widgets.eval.Images;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "Show what the model looked at" for a gallery of test samples: each shown picture gets the Grad-CAM of its
 * predicted class at the last layer of feature maps (a CNN), or the saliency map (an MLP on images), computed on
 * the executor for the shown tiles only. Off, the gallery shows the plain samples again.
 */
final class MistakeExplanations {

    private final TaskExecutor executor;
    private final ImageGallery gallery;
    private final CheckBox toggle = new CheckBox("Show what the model looked at");
    private final Label caption = new Label();
    private final HBox bar;
    private TaskHandle running;
    private TrainedModel model;
    private Evaluation evaluation;
    private List<Integer> samples = List.of();
    private List<ImageGallery.Tile> plain = List.of();
    private String whenEmpty = "";
    private final java.util.Map<Integer, float[]> heatCache = new java.util.HashMap<>();

    MistakeExplanations(TaskExecutor executor, ImageGallery gallery) {
        this.executor = executor;
        this.gallery = gallery;
        toggle.setId("showWhatItLookedAt");
        toggle.setDisable(true);
        caption.setId("mistakesExplanation");
        caption.getStyleClass().add(Styles.TEXT_MUTED);
        toggle.selectedProperty().addListener((o, was, on) -> apply());
        bar = new HBox(12, toggle, caption);
        bar.setAlignment(Pos.CENTER_LEFT);
    }

    Node bar() {
        return bar;
    }

    CheckBox toggle() {
        return toggle;
    }

    /** New tiles: the samples they show (test split indices) and their plain pictures. */
    void show(TrainedModel model, Evaluation evaluation, List<Integer> samples, List<ImageGallery.Tile> plain, String whenEmpty) {
        if (running != null) running.cancel();
        if (model != this.model) heatCache.clear();
        this.model = model;
        this.evaluation = evaluation;
        this.samples = List.copyOf(samples);
        this.plain = List.copyOf(plain);
        this.whenEmpty = whenEmpty;
        boolean images = model.inputShape().kind() == TensorShape.Kind.IMAGE;
        toggle.setDisable(!images || samples.isEmpty());
        if (!images) toggle.setSelected(false);
        apply();
    }

    private void apply() {
        if (running != null) running.cancel();
        if (!toggle.isSelected() || model == null) {
            caption.setText("");
            gallery.setTiles(plain, whenEmpty);
            return;
        }
        Predictor predictor = new Predictor(model);
        List<String> camLayers = predictor.gradCamLayers();
        String layer = camLayers.isEmpty() ? null : camLayers.get(camLayers.size() - 1);
        caption.setText(layer != null ? "Grad-CAM at " + layer + " for the predicted class: brighter is where its evidence lies"
                : "Saliency for the predicted class: brighter pixels sway its score most");
        Dataset test = model.test();
        TensorShape shape = test.sampleShape();
        int per = test.sampleLength();
        List<Integer> shown = samples;
        Evaluation e = evaluation;
        java.util.Map<Integer, float[]> known = new java.util.HashMap<>(heatCache);
        running = executor.submit("Explaining the mistakes", progress -> {
            List<float[]> maps = new ArrayList<>();
            for (int k = 0; k < shown.size(); k++) {
                progress.checkCancelled();
                progress.update((double) k / shown.size(), "Explaining mistake " + (k + 1) + " of " + shown.size());
                int i = shown.get(k);
                float[] heat = known.get(i);
                if (heat == null) {
                    float[] x = Arrays.copyOfRange(test.features(), i * per, (i + 1) * per);
                    heat = layer != null ? predictor.gradCamPreprocessed(x, e.predicted(i), layer).map()
                            : predictor.saliencyPreprocessed(x, e.predicted(i));
                }
                maps.add(heat);
            }
            return maps;
        }, maps -> {
            if (!toggle.isSelected() || shown != samples) return; // switched off or new tiles meanwhile
            List<ImageGallery.Tile> tiles = new ArrayList<>();
            for (int k = 0; k < shown.size(); k++) {
                heatCache.put(shown.get(k), maps.get(k));
                ImageGallery.Tile t = plain.get(k);
                Image over = Images.overlay(test.features(), shown.get(k) * per, shape.height(), shape.width(),
                        shape.channels(), maps.get(k));
                tiles.add(new ImageGallery.Tile(over, t.caption(), t.details()));
            }
            gallery.setTiles(tiles, whenEmpty);
        }, error -> caption.setText("Explaining failed: " + error.getMessage()));
    }

    void dispose() {
        if (running != null) running.cancel();
    }
}
