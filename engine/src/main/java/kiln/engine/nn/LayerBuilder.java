package kiln.engine.nn;

import java.util.List;

/**
 * What a layer of the catalog builds itself from: named parameters and primitives. Shapes are per sample:
 * images (channels, height, width), vectors (size), sequences (steps, features).
 */
public final class LayerBuilder {

    private final NetworkBuilder network;
    private final String layer;
    private final LayerTraining training;

    LayerBuilder(NetworkBuilder network, String layer, LayerTraining training) {
        this.network = network;
        this.layer = layer;
        this.training = training;
    }

    /** How this layer trains: frozen or not, its learning-rate multiplier. */
    public LayerTraining training() { return training; }

    /** The value fed to the network from the data pipeline. */
    public Tensor networkInput(long... shape) {
        return network.networkInput(shape);
    }

    /** A weight that L2 regularisation shrinks; learned unless the layer is frozen. */
    public Param weight(String suffix, Init init, long... shape) {
        return network.param(new Param(layer + "." + suffix, shape, init, training.trainable(), true),
                training.rateMultiplier());
    }

    /** A parameter that L2 leaves alone (biases, normalisation scale and shift); learned unless the layer is frozen. */
    public Param bias(String suffix, Init init, long... shape) {
        return network.param(new Param(layer + "." + suffix, shape, init, training.trainable(), false),
                training.rateMultiplier());
    }

    /** A weight gradient descent never changes, whatever the layer's setting (the base weights under LoRA adapters). */
    public Param fixed(String suffix, Init init, long... shape) {
        return network.param(new Param(layer + "." + suffix, shape, init, false, false), 1);
    }

    /** State that the layer updates itself in training mode (running statistics), saved with the weights. */
    public Param state(String suffix, Init init, long... shape) {
        return network.param(new Param(layer + "." + suffix, shape, init, false, false), 1);
    }

    /** x·Wᵀ + b with W of shape (out, in), as torch.nn.Linear keeps it. */
    public Tensor linear(Tensor x, Param weight, Param bias) {
        return network.add(new Linear(layer, x, weight, bias));
    }

    /** Convolution of (C, H, W) images with W of shape (filters, C, k, k); "same" pads the odd pixel after. */
    public Tensor conv2d(Tensor x, Param weight, Param bias, int kernel, int stride, boolean same) {
        return network.add(new Conv2d(layer, x, weight, bias, kernel, stride, same));
    }

    public Tensor maxPool(Tensor x, int pool, int stride, boolean same) {
        return network.add(new Pool2d(layer, x, Pool2d.Kind.MAX, pool, stride, same));
    }

    /** Average over the cells of each window that lie inside the image (padding is not counted). */
    public Tensor avgPool(Tensor x, int pool, int stride, boolean same) {
        return network.add(new Pool2d(layer, x, Pool2d.Kind.AVERAGE, pool, stride, same));
    }

    /**
     * Normalises each channel (images) or feature (vectors) by the batch's statistics in training mode and by the
     * running statistics otherwise. {@code momentum} is the share of the old running value kept per batch.
     * A frozen layer runs in inference mode in training too, keeping its statistics, unless it is set to update them.
     */
    public Tensor batchNorm(Tensor x, Param gamma, Param beta, Param runningMean, Param runningVar,
                            double momentum, double epsilon) {
        boolean keepStatistics = !training.trainable() && !training.updateStatistics();
        return network.add(new BatchNormalization(layer, x, gamma, beta, runningMean, runningVar, momentum, epsilon,
                keepStatistics));
    }

    /**
     * A LoRA adapter's contribution (x·Aᵀ·Bᵀ)·scale, with A of shape (rank, in) and B of shape (out, rank); it is
     * added to the frozen base layer's output.
     */
    public Tensor lowRank(Tensor x, Param a, Param b, double scale) {
        return network.add(new LowRank(layer, x, a, b, scale));
    }

    /** relu, leaky_relu (slope alpha below zero), sigmoid, tanh, softmax (over a vector), or linear (none). */
    public Tensor activation(Tensor x, String function, double alpha) {
        if ("linear".equals(function)) return x;
        return network.add(new Activation(layer, x, Activation.Function.of(function), alpha));
    }

    /** Zeroes a share {@code rate} of the values in training mode and scales the rest by 1 / (1 − rate). */
    public Tensor dropout(Tensor x, double rate) {
        return rate == 0 ? x : network.add(new Dropout(layer, x, rate));
    }

    public Tensor add(List<Tensor> xs) {
        return network.add(new Sum(layer, xs));
    }

    /** Joins along one axis of the sample shape (0 for the channels of an image). */
    public Tensor concat(List<Tensor> xs, int axis) {
        return network.add(new Concat(layer, xs, axis));
    }

    /** The sample's values in one vector, in memory order (channels, then rows, then columns). */
    public Tensor flatten(Tensor x) {
        return network.add(new Reshape(layer, x, new long[] {x.size()}));
    }

    /** Mean over every axis of the sample but the last kept one: (C, H, W) → (C), (T, F) → (F). */
    public Tensor globalAvgPool(Tensor x) {
        return network.add(new GlobalAvgPool(layer, x));
    }

    /** Looks up a row of the table (vocabulary, dimensions) for each token id of a (T, 1) sequence. */
    public Tensor embedding(Tensor ids, Param table) {
        return network.add(new Embedding(layer, ids, table));
    }

    /**
     * An LSTM over (T, F) sequences with PyTorch's gate order (input, forget, cell, output):
     * weightIh (4u, F), weightHh (4u, u), bias (4u). Gives (T, u) or, without sequences, the last step's (u).
     */
    public Tensor lstm(Tensor x, Param weightIh, Param weightHh, Param bias, boolean returnSequences) {
        return network.add(new Lstm(layer, x, weightIh, weightHh, bias, returnSequences));
    }

    /** Marks the network's logits and how they are scored; returns the prediction (probabilities, or the values). */
    public Tensor output(Tensor logits, LossKind kind) {
        Tensor prediction = switch (kind) {
            case SOFTMAX_CROSS_ENTROPY -> activation(logits, "softmax", 0);
            case SIGMOID_BINARY_CROSS_ENTROPY -> activation(logits, "sigmoid", 0);
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR -> logits;
        };
        return network.output(layer, logits, prediction, kind);
    }
}
