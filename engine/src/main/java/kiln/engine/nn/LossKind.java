package kiln.engine.nn;

/** How an Output layer's logits are turned into predictions and scored against the targets. */
public enum LossKind {
    /** Softmax over the classes; the mean over the batch of −Σ y·log p. */
    SOFTMAX_CROSS_ENTROPY,
    /** A sigmoid per unit; binary cross-entropy averaged over units and batch. */
    SIGMOID_BINARY_CROSS_ENTROPY,
    /** The logits themselves; squared error averaged over units and batch. */
    MEAN_SQUARED_ERROR,
    /** The logits themselves; absolute error averaged over units and batch. */
    MEAN_ABSOLUTE_ERROR;

    /** The output is the logits themselves (no activation): it predicts numbers. */
    public boolean linear() {
        return this == MEAN_SQUARED_ERROR || this == MEAN_ABSOLUTE_ERROR;
    }
}
