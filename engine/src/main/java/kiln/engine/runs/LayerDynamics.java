package kiln.engine.runs;

/**
 * How one layer was learning at the end of one epoch, measured on one training batch: the signs of vanishing or
 * exploding gradients, too large or too small steps, and units that never fire.
 *
 * @param weightNorm     L2 norm of the layer's learned parameters after the step (0 for a layer without any)
 * @param gradientNorm   L2 norm of their gradients on the batch
 * @param updateRatio    ‖step‖ / ‖weights before the step‖: about 1e-3 is healthy, 0 for a frozen layer
 * @param deadShare      share of the layer's units (features, or channels of feature maps) that output 0 for
 *                       every sample of the batch
 * @param activationMean mean of the layer's output over the batch
 * @param activationStd  standard deviation of the layer's output over the batch
 */
public record LayerDynamics(int epoch, String layer, long parameters, double weightNorm, double gradientNorm,
                            double updateRatio, double deadShare, double activationMean, double activationStd) {

    /** The gradient's root mean square per parameter, comparable between layers of different sizes. */
    public double gradientRms() {
        return parameters == 0 ? 0 : gradientNorm / Math.sqrt(parameters);
    }
}
