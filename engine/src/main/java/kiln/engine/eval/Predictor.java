package kiln.engine.eval;

import kiln.engine.data.DataFormatException;
import kiln.engine.data.Dataset;
import kiln.engine.data.ImageFolderReader;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Runs single inputs through a trained model: the project's fitted pipeline (the same transform training
 * used, without augmentation), then the network in inference mode. Also explains a prediction with a
 * saliency map or Grad-CAM, and shows what every layer makes of it. Safe to call from several threads; calls on one model run one at a time.
 */
public final class Predictor {


    /**
     * Class probabilities for one input, with the winning class.
     * @param threshold for two classes, the second wins when its probability is at least this; NaN: the most probable
     */
    public record Prediction(List<String> classNames, float[] probabilities, double threshold) {
        /** The most probable class wins. */
        public Prediction(List<String> classNames, float[] probabilities) {
            this(classNames, probabilities, Double.NaN);
        }

        public int predicted() {
            if (!Double.isNaN(threshold) && probabilities.length == 2) return probabilities[1] >= threshold ? 1 : 0;
            int best = 0;
            for (int c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
            return best;
        }

        public float confidence() {
            return probabilities[predicted()];
        }
    }

    private final TrainedModel model;

    public Predictor(TrainedModel model) {
        this.model = model;
    }

    public TrainedModel model() {
        return model;
    }

    /** The network's view of a raw sample (pixels 0–255 channels-first, or CSV values): the fitted pipeline applied. */
    public float[] preprocess(float[] raw) {
        TensorShape shape = model.inputShape();
        if (raw.length != shape.elementCount()) {
            throw new IllegalArgumentException("the input has " + raw.length + " values but the network takes "
                    + shape.elementCount() + " (" + shape + ")");
        }
        Dataset one = new Dataset(shape, raw.clone(), new int[] {0}, model.classNames(), "input");
        return model.data().pipeline().apply(one).features();
    }

    public Prediction predict(float[] raw) {
        return predictPreprocessed(preprocess(raw));
    }

    /** The number the model predicts for one raw sample, in the target's unit (numeric targets only). */
    public double value(float[] raw) {
        float[] out = model.network().predict(preprocess(raw), 1);
        return model.data().encoding().value(out, 0);
    }

    /** True when the model predicts a number rather than classes. */
    public boolean predictsNumbers() {
        return model.data().encoding().numeric();
    }

    public Prediction predictPreprocessed(float[] x) {
        float[] out = model.network().predict(x, 1);
        return new Prediction(model.classNames(), model.data().encoding().classScores(out, 1),
                model.threshold().map(t -> t.value()).orElse(Double.NaN));
    }

    /**
     * How strongly each input value sways the score of class {@code cls}: the magnitude of the gradient of the
     * class's pre-activation score (its logit) with respect to the network's input, computed by the engine's
     * backward pass in inference mode (dropout off, BatchNorm with its running statistics, exactly as predictions
     * are made). For images the map has one value per pixel (the largest over channels), scaled to 0..1.
     */
    public float[] saliency(float[] raw, int cls, Progress progress) {
        progress.checkCancelled();
        return saliencyPreprocessed(preprocess(raw), cls);
    }

    /** {@link #saliency} of a sample already through the pipeline (a sample of a split). */
    public float[] saliencyPreprocessed(float[] x, int cls) {
        return toMap(model.network().inputGradient(x, 1, logitSeed(cls)));
    }

    /**
     * Gradient × input: how much each value of the network's (preprocessed) input adds to class {@code cls}'s logit,
     * to first order. For a row of CSV features this says which features spoke for or against the class.
     */
    public float[] attributions(float[] raw, int cls) {
        float[] x = preprocess(raw);
        float[] g = model.network().inputGradient(x, 1, logitSeed(cls));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] * g[i];
        return out;
    }

    /** Selects class {@code cls}'s logit; a single yes/no unit scores class 1 by its logit and class 0 by its negation. */
    private float[] logitSeed(int cls) {
        int units = model.data().encoding().units();
        if (cls < 0 || cls >= Math.max(2, units)) {
            throw new IllegalArgumentException("there is no class " + cls + "; the network has " + Math.max(2, units));
        }
        float[] seed = new float[units];
        if (units == 1) seed[0] = cls == 1 ? 1 : -1;
        else seed[cls] = 1;
        return seed;
    }

    /** One layer's output for one sample: channels first for feature maps. */
    public record LayerOutput(String layer, TensorShape shape, float[] values) {
        public LayerStatistics statistics() { return LayerStatistics.of(values); }
    }

    /** What every layer produces for one raw sample, in the graph's order; the Input's is the preprocessed sample. */
    public List<LayerOutput> layerOutputs(float[] raw) {
        Map<String, float[]> values = model.network().layerOutputs(preprocess(raw), 1);
        List<LayerOutput> out = new ArrayList<>();
        for (String name : model.analysis().order()) {
            float[] v = values.get(name);
            if (v != null) out.add(new LayerOutput(name, model.analysis().get(name).shape(), v));
        }
        return out;
    }

    /** Grad-CAM: the map as computed at the layer's resolution, and brought to the input image's size scaled to 0..1. */
    public record Heatmap(GradCam.Map coarse, float[] map, int height, int width) { }

    /** The layers Grad-CAM can look at: those whose output is a grid of feature maps. */
    public List<String> gradCamLayers() {
        return model.analysis().order().stream()
                .filter(n -> !n.equals(model.project().graph().inputNode().orElseThrow().name()))
                .filter(n -> GradCam.isFeatureGrid(model.analysis().get(n))).toList();
    }

    /**
     * Grad-CAM of class {@code cls} for one raw image, at {@code layer} (null: the last layer of feature maps).
     * Real gradients of the class logit, in inference mode, as predictions are made.
     */
    public Heatmap gradCam(float[] raw, int cls, String layer) {
        return gradCamPreprocessed(preprocess(raw), cls, layer);
    }

    /** {@link #gradCam} of a sample already through the pipeline (a sample of a split). */
    public Heatmap gradCamPreprocessed(float[] x, int cls, String layer) {
        List<String> layers = gradCamLayers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Grad-CAM needs a layer of feature maps (a convolution), and this network "
                    + "has none; use saliency instead");
        }
        String at = layer == null ? GradCam.defaultLayer(model.analysis(),
                model.project().graph().inputNode().orElseThrow().name()).orElseThrow() : layer;
        if (!layers.contains(at)) {
            throw new IllegalArgumentException("Grad-CAM cannot look at " + at + "; layers of feature maps: "
                    + String.join(", ", layers));
        }
        var explanation = model.network().explain(x, 1, logitSeed(cls));
        TensorShape shape = model.analysis().get(at).shape();
        GradCam.Map coarse = GradCam.compute(at, shape, explanation.outputs().get(at), explanation.gradients().get(at));
        TensorShape in = model.inputShape();
        float[] map = GradCam.normalised(GradCam.upsample(coarse.values(), coarse.height(), coarse.width(),
                in.height(), in.width()));
        return new Heatmap(coarse, map, in.height(), in.width());
    }

    private float[] toMap(float[] grad) {
        TensorShape shape = model.inputShape();
        int cells = shape.kind() == TensorShape.Kind.IMAGE ? shape.height() * shape.width() : grad.length;
        int channels = grad.length / cells;
        float[] map = new float[cells];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < cells; i++) map[i] = Math.max(map[i], Math.abs(grad[c * cells + i]));
        }
        float max = 0;
        for (float v : map) max = Math.max(max, v);
        if (max > 0) for (int i = 0; i < cells; i++) map[i] /= max;
        return map;
    }

    /** An image file read by the same rule as image data sets (resized, grey or colour as the Input wants). */
    public static float[] readImage(Path file, TensorShape shape) throws DataFormatException {
        if (shape.kind() != TensorShape.Kind.IMAGE) {
            throw new DataFormatException(file, "is an image, but the network takes " + shape + "; give a CSV row instead");
        }
        float[] out = new float[Math.toIntExact(shape.elementCount())];
        ImageFolderReader.readInto(file, shape.height(), shape.width(), shape.channels(), out, 0);
        return out;
    }

    /** One row of numbers separated by commas (or semicolons, tabs, spaces), as many as the network takes. */
    public static float[] parseRow(String row, int expected) {
        String[] parts = row.trim().split("\\s*[,;\\t ]\\s*");
        if (row.isBlank()) throw new IllegalArgumentException("the row is empty; type " + expected + " numbers separated by commas");
        if (parts.length != expected) {
            throw new IllegalArgumentException("the row has " + parts.length + " values but the network takes "
                    + expected + "; give them in the order of the data's feature columns");
        }
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            try {
                out[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "value %d of the row, '%s', is not a number", i + 1, parts[i]));
            }
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException("value " + (i + 1) + " of the row is " + parts[i] + "; use a finite number");
            }
        }
        return out;
    }
}
