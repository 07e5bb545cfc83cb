package kiln.engine.data;

/**
 * How a data set is divided. When the source has its own test set (MNIST's t10k files) that set is used
 * and {@code testFraction} is ignored; validation always comes out of the training data.
 */
public record SplitSettings(double validationFraction, double testFraction, long seed, boolean stratified) {

    public static SplitSettings defaults() {
        return new SplitSettings(0.1, 0.2, 42, true);
    }
}
