package kiln.engine.data;

import kiln.engine.shape.TensorShape;

import java.util.List;

/**
 * Labelled samples in memory. Feature values are as read from the source (pixels 0–255, CSV numbers);
 * the pipeline turns them into what the network sees. Images are stored channels-first (C, H, W) per sample,
 * the layout the engine, PyTorch and ONNX use, while {@link #sampleShape()} reads height × width × channels.
 *
 * @param features   sampleCount × sampleShape.elementCount() values, sample after sample
 * @param labels     class index per sample, 0 ≤ label < classNames.size()
 * @param classNames display names of the classes, in label order
 * @param source     where the data came from, for messages ("train-images-idx3-ubyte.gz")
 */
public record Dataset(TensorShape sampleShape, float[] features, int[] labels, List<String> classNames, String source) {

    public Dataset {
        classNames = List.copyOf(classNames);
        long per = sampleShape.elementCount();
        if (features.length != per * labels.length) {
            throw new IllegalArgumentException(source + ": " + features.length + " values do not make "
                    + labels.length + " samples of " + sampleShape);
        }
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

    /** The samples at the given positions, in that order. */
    public Dataset select(int[] indices, String newSource) {
        int per = sampleLength();
        float[] f = new float[indices.length * per];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * per, f, i * per, per);
            l[i] = labels[indices[i]];
        }
        return new Dataset(sampleShape, f, l, classNames, newSource);
    }

    /** The first n samples (all when n ≥ size). */
    public Dataset head(int n) {
        if (n >= size()) return this;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return select(idx, source + " (first " + n + ")");
    }

    /** Samples per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classCount()];
        for (int l : labels) counts[l]++;
        return counts;
    }
}
