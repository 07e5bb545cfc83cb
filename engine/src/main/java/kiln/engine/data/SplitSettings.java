package kiln.engine.data;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a data set is divided. When the source has its own test set (MNIST's t10k files) that set is used
 * and {@code testFraction} is ignored; validation always comes out of the training data.
 * @param trainingSamples keep only this many samples of the training split (0 = all), drawn with the split's seed
 *                        and, when stratified, from each class in proportion; validation and test stay whole.
 *                        Left out of data records when 0, so runs from before it existed compare unchanged.
 */
public record SplitSettings(double validationFraction, double testFraction, long seed, boolean stratified,
                            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int trainingSamples) {

    public SplitSettings(double validationFraction, double testFraction, long seed, boolean stratified) {
        this(validationFraction, testFraction, seed, stratified, 0);
    }

    public static SplitSettings defaults() {
        return new SplitSettings(0.1, 0.2, 42, true);
    }

    public SplitSettings withTrainingSamples(int n) {
        return new SplitSettings(validationFraction, testFraction, seed, stratified, n);
    }

    /** Why these settings cannot split data, or null. */
    public String problem() {
        String bad = Splitter.check(validationFraction, testFraction);
        if (bad != null) return bad;
        if (trainingSamples < 0) {
            return "Training samples is " + trainingSamples + "; use 0 (all of the training split) or a count of samples.";
        }
        return null;
    }
}
