package kiln.engine.nn;

import java.util.SplittableRandom;

/** How a parameter starts: a constant, or normal values with a standard deviation chosen from its fan-in and fan-out. */
public record Init(Kind kind, double value) {

    public enum Kind { CONSTANT, NORMAL, UNIFORM, FORGET_GATE_BIAS }

    public static Init zeros() { return new Init(Kind.CONSTANT, 0); }

    public static Init constant(double v) { return new Init(Kind.CONSTANT, v); }

    /** He et al.: keeps the variance of ReLU activations steady. */
    public static Init he(long fanIn) { return new Init(Kind.NORMAL, Math.sqrt(2.0 / fanIn)); }

    /** Uniform in [−bound, bound]. */
    public static Init uniform(double bound) { return new Init(Kind.UNIFORM, bound); }

    /** Glorot and Bengio: keeps the variance steady in both directions for symmetric activations. */
    public static Init glorot(long fanIn, long fanOut) { return new Init(Kind.NORMAL, Math.sqrt(2.0 / (fanIn + fanOut))); }

    /** An LSTM bias (4 × units, gates input, forget, cell, output) with the forget gate's part at 1, so memory is kept at first. */
    public static Init forgetGateBias(int units) { return new Init(Kind.FORGET_GATE_BIAS, units); }

    void fill(double[] out, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (kind) {
                case CONSTANT -> value;
                case NORMAL -> value * gaussian(random);
                case UNIFORM -> value * (2 * random.nextDouble() - 1);
                case FORGET_GATE_BIAS -> i >= value && i < 2 * value ? 1 : 0;
            };
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller: SplittableRandom has no nextGaussian in Java 17.
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
