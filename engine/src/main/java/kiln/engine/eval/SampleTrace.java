package kiln.engine.eval;

import kiln.engine.catalog.LayerWeights;
import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows one sample through a model: every layer's output (shape, values, statistics) and the prediction, from
 * one forward pass of the model's network, which is built once and kept, so following the next sample costs one
 * forward pass. Also gives each layer's weights, for a larger view of a layer. Safe to call from several threads;
 * calls run one at a time (the network's).
 */
public final class SampleTrace {

    /** One layer's output for the sample (channels first for feature maps). */
    public record Layer(String name, TensorShape shape, float[] values, LayerStatistics statistics) { }

    /** What every layer made of one sample, in the graph's order, and the class probabilities (null for a model that predicts a number). */
    public record Result(List<Layer> layers, Predictor.Prediction prediction) {
        public Optional<Layer> layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst();
        }
    }

    /** A layer's main weight tensor ("weight": a convolution's filters, out × in × kh × kw; a Dense's, out × in). */
    public record Weight(String layer, long[] shape, float[] values, LayerStatistics statistics) { }

    private final TrainedModel model;
    private final Predictor predictor;

    public SampleTrace(TrainedModel model) {
        this.model = model;
        this.predictor = new Predictor(model);
    }

    public TrainedModel model() {
        return model;
    }

    /** Follows a raw sample (pixels 0–255 channels first, or a CSV row): the fitted pipeline first, as predictions do. */
    public Result ofRaw(float[] raw) {
        return ofPreprocessed(predictor.preprocess(raw));
    }

    /** Follows sample {@code index} of the test split (already through the pipeline). */
    public Result ofTestSample(int index) {
        var test = model.test();
        if (index < 0 || index >= test.size()) {
            throw new IllegalArgumentException("there is no test sample " + index + "; the test split has " + test.size());
        }
        int per = test.sampleLength();
        float[] x = new float[per];
        System.arraycopy(test.features(), index * per, x, 0, per);
        return ofPreprocessed(x);
    }

    /** Follows a sample that has been through the pipeline already. */
    public Result ofPreprocessed(float[] x) {
        var forward = model.network().forward(x, 1);
        Map<String, float[]> values = forward.layers();
        List<Layer> layers = new ArrayList<>();
        for (String name : model.analysis().order()) {
            float[] v = values.get(name);
            if (v != null) layers.add(new Layer(name, model.analysis().get(name).shape(), v, LayerStatistics.of(v)));
        }
        // A model that predicts a number has no class probabilities: its Output shows as a plain layer.
        Predictor.Prediction prediction = model.data().encoding().numeric() ? null
                : new Predictor.Prediction(model.classNames(), model.data().encoding().classScores(forward.prediction(), 1),
                model.threshold().map(t -> t.value()).orElse(Double.NaN));
        return new Result(List.copyOf(layers), prediction);
    }

    /** The layer's "weight" tensor, or empty for a layer without one (pooling, activation, flatten, ...). */
    public Optional<Weight> weight(String layer) {
        LayerWeights w = model.weightsOf(layer);
        if (!w.has("weight")) return Optional.empty();
        float[] values = w.values("weight");
        return Optional.of(new Weight(layer, w.shape("weight"), values, LayerStatistics.of(values)));
    }
}
