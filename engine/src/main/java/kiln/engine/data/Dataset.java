package kiln.engine.data;

import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Locale;

/**
 * Labelled samples in memory. Feature values are as read from the source (pixels 0–255, CSV numbers);
 * the pipeline turns them into what the network sees. Images are stored channels-first (C, H, W) per sample,
 * the layout the engine, PyTorch and ONNX use, while {@link #sampleShape()} reads height × width × channels.
 * A data set is either classes (labels with class names) or numbers to predict ({@link #targets()}, regression;
 * then every label is 0 and there are no class names).
 *
 * @param features   sampleCount × sampleShape.elementCount() values, sample after sample
 * @param labels     class index per sample, 0 ≤ label < classNames.size(); all 0 for numeric targets
 * @param classNames display names of the classes, in label order; empty for numeric targets
 * @param source     where the data came from, for messages ("train-images-idx3-ubyte.gz")
 * @param targets    the number to predict per sample, as read (not normalised); null for classes
 * @param targetName the target column's name for numeric targets; null for classes
 */
public record Dataset(TensorShape sampleShape, float[] features, int[] labels, List<String> classNames, String source,
                      float[] targets, String targetName) {

    public Dataset {
        classNames = List.copyOf(classNames);
        long per = sampleShape.elementCount();
        if (features.length != per * labels.length) {
            throw new IllegalArgumentException(source + ": " + features.length + " values do not make "
                    + labels.length + " samples of " + sampleShape);
        }
        if (targets != null && (targets.length != labels.length || !classNames.isEmpty())) {
            throw new IllegalArgumentException(source + ": " + targets.length + " targets for " + labels.length
                    + " samples, with " + classNames.size() + " class names (numeric targets have none)");
        }
    }

    /** Samples of classes. */
    public Dataset(TensorShape sampleShape, float[] features, int[] labels, List<String> classNames, String source) {
        this(sampleShape, features, labels, classNames, source, null, null);
    }

    /** Samples with a number to predict each (regression). */
    public static Dataset numeric(TensorShape sampleShape, float[] features, float[] targets, String targetName,
                                  String source) {
        return new Dataset(sampleShape, features, new int[targets.length], List.of(), source, targets, targetName);
    }

    /** True when the samples have numbers to predict rather than classes. */
    public boolean numeric() {
        return targets != null;
    }

    public int size() {
        return labels.length;
    }

    public int sampleLength() {
        return Math.toIntExact(sampleShape.elementCount());
    }

    public int classCount() {
        return classNames.size();
    }

    /** The same samples and labels or targets with other feature values (a pipeline step's output). */
    public Dataset withFeatures(TensorShape shape, float[] values) {
        return new Dataset(shape, values, labels, classNames, source, targets, targetName);
    }

    /** A sample's class name, or its target value, for captions. */
    public String labelText(int sample) {
        return numeric() ? String.format(Locale.ROOT, "%.4g", targets[sample]) : classNames.get(labels[sample]);
    }

    /** The samples at the given positions, in that order. */
    public Dataset select(int[] indices, String newSource) {
        int per = sampleLength();
        float[] f = new float[indices.length * per];
        int[] l = new int[indices.length];
        float[] t = numeric() ? new float[indices.length] : null;
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * per, f, i * per, per);
            l[i] = labels[indices[i]];
            if (t != null) t[i] = targets[indices[i]];
        }
        return new Dataset(sampleShape, f, l, classNames, newSource, t, targetName);
    }

    /** The first n samples (all when n ≥ size). */
    public Dataset head(int n) {
        if (n >= size()) return this;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return select(idx, source + " (first " + n + ")");
    }

    /** Samples per class, indexed by label; empty for numeric targets. */
    public int[] classCounts() {
        int[] counts = new int[classCount()];
        if (numeric()) return counts;
        for (int l : labels) counts[l]++;
        return counts;
    }
}
