package kiln.engine.nn;

/**
 * How one layer takes part in training.
 * @param trainable        false for a frozen layer: gradient descent leaves its weights exactly as they are
 * @param rateMultiplier   its learning rate as a multiple of the run's (discriminative fine-tuning), above 0
 * @param updateStatistics whether a frozen BatchNorm still normalises by each batch and updates its running
 *                         statistics; by default a frozen one runs in inference mode and keeps them
 */
public record LayerTraining(boolean trainable, double rateMultiplier, boolean updateStatistics) {

    public static final LayerTraining DEFAULT = new LayerTraining(true, 1, false);

    public LayerTraining {
        if (!(rateMultiplier > 0) || Double.isInfinite(rateMultiplier)) {
            throw new IllegalArgumentException("a learning-rate multiplier must be above 0, not " + rateMultiplier);
        }
    }
}
