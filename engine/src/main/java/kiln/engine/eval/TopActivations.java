package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * What excites a unit: the training samples on which one unit of a layer fires most. A unit is a feature of a
 * vector, a channel of feature maps or a feature of a sequence; a channel or a sequence feature is scored by its
 * largest value over the positions (or steps), since a feature detector answers "is it anywhere in here", as in
 * Zeiler and Fergus (2014). One inference pass over the first samples of the training split, in batches.
 */
public final class TopActivations {

    /** Samples forwarded together; large enough to keep the engine busy, small enough for 2,000 layer outputs. */
    static final int BATCH = 64;
    public static final int DEFAULT_LIMIT = 2000;
    public static final int DEFAULT_TOP = 16;

    /** One of the top samples: its index in the training split, its class and the unit's value on it. */
    public record Entry(int sample, int label, float value) { }

    /** The top samples, highest value first, and how many samples were looked at. */
    public record Result(String layer, int unit, String reduction, int scanned, List<Entry> top) { }

    private TopActivations() { }

    /** The layers whose units can be ranked: every layer with a known output but the input. */
    public static List<String> layers(TrainedModel model) {
        String input = model.project().graph().inputNode().orElseThrow().name();
        return model.analysis().order().stream().filter(n -> !n.equals(input))
                .filter(n -> model.analysis().get(n) != null && model.analysis().get(n).ok()).toList();
    }

    /** How many units a layer's output has: its channels, features or sequence features. */
    public static int units(TensorShape shape) {
        return switch (shape.kind()) {
            case IMAGE -> shape.channels();
            case VECTOR -> shape.size();
            case SEQUENCE -> shape.features();
        };
    }

    /** "max over 13×13 positions" for captions; empty for a vector, whose unit is one value. */
    public static String reduction(TensorShape shape) {
        return switch (shape.kind()) {
            case IMAGE -> String.format(Locale.ROOT, "max over %d×%d positions", shape.height(), shape.width());
            case VECTOR -> "";
            case SEQUENCE -> "max over " + shape.length() + " steps";
        };
    }

    /**
     * @param limit how many training samples to look at from the start of the split (0 or more than there are: all)
     * @throws IllegalArgumentException naming the layer or unit when they do not exist
     */
    public static Result find(TrainedModel model, String layer, int unit, int top, int limit, Progress progress) {
        TensorShape shape = shapeOf(model, layer);
        int units = units(shape);
        if (unit < 0 || unit >= units) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has %d unit%s (%s), numbered 0 to %d; "
                    + "there is no unit %d", layer, units, units == 1 ? "" : "s", shape, units - 1, unit));
        }
        if (top < 1) throw new IllegalArgumentException("ask for at least 1 top sample, not " + top);
        Dataset train = model.data().splits().train();
        int n = limit <= 0 ? train.size() : Math.min(limit, train.size());
        int per = train.sampleLength();
        int size = Math.toIntExact(shape.elementCount());
        // The k best so far, weakest on top, so each sample costs log k.
        PriorityQueue<Entry> best = new PriorityQueue<>(Comparator.comparingDouble(Entry::value)
                .thenComparing(Comparator.comparingInt(Entry::sample).reversed()));
        for (int from = 0; from < n; from += BATCH) {
            progress.checkCancelled();
            progress.update((double) from / n, String.format(Locale.ROOT, "Looking at training samples %,d of %,d", from, n));
            int count = Math.min(BATCH, n - from);
            float[] x = Arrays.copyOfRange(train.features(), from * per, (from + count) * per);
            float[] out = model.network().layerOutputs(x, count).get(layer);
            if (out == null) throw new IllegalArgumentException(layer + " keeps no output of its own to rank");
            for (int s = 0; s < count; s++) {
                Entry e = new Entry(from + s, train.labels()[from + s], value(shape, out, s * size, unit));
                best.add(e);
                if (best.size() > top) best.poll();
            }
        }
        progress.update(1, "Looked at " + n + " training samples");
        List<Entry> ranked = new ArrayList<>(best);
        ranked.sort(Comparator.comparingDouble(Entry::value).reversed().thenComparingInt(Entry::sample));
        return new Result(layer, unit, reduction(shape), n, List.copyOf(ranked));
    }

    /** The unit's value in one sample's layer output starting at {@code offset} (channels first for images). */
    static float value(TensorShape shape, float[] out, int offset, int unit) {
        float max = Float.NEGATIVE_INFINITY;
        switch (shape.kind()) {
            case VECTOR -> max = out[offset + unit];
            case IMAGE -> {
                int cells = shape.height() * shape.width();
                for (int i = 0; i < cells; i++) max = Math.max(max, out[offset + unit * cells + i]);
            }
            case SEQUENCE -> {
                for (int t = 0; t < shape.length(); t++) max = Math.max(max, out[offset + t * shape.features() + unit]);
            }
        }
        return max;
    }

    private static TensorShape shapeOf(TrainedModel model, String layer) {
        List<String> layers = layers(model);
        if (!layers.contains(layer)) {
            throw new IllegalArgumentException("there is no layer '" + layer + "' to look into; layers: "
                    + String.join(", ", layers));
        }
        NodeAnalysis a = model.analysis().get(layer);
        return a.shape();
    }
}
