package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Gradient descent over the whole learned buffer in one pass, with PyTorch's update rules. The loop runs on
 * Java arrays (which the JIT vectorises) over a copy of the weights, and writes the weights back each step:
 * measured in the engine spike, this beats ND4J's updater ops several times over.
 */
public final class Optimizer {

    public enum Kind {
        SGD, NESTEROV, ADAM, RMSPROP;

        /** State tensor names per kind, as PyTorch's optimizers call them. */
        List<String> stateNames() {
            return switch (this) {
                case SGD -> List.of();
                case NESTEROV -> List.of("momentum_buffer");
                case ADAM -> List.of("exp_avg", "exp_avg_sq");
                case RMSPROP -> List.of("square_avg");
            };
        }
    }

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double RMS_ALPHA = 0.99;
    static final double EPSILON = 1e-8;
    /**
     * Moments this small decay into denormal floats, which make every later step ~10× slower (engine spike).
     * They are flushed to zero every {@link #FLUSH_EVERY} steps, in a loop of its own: a branch inside the update
     * loop stops the JIT from vectorising it (measured: 1.7 ms against 0.36 ms for 235k weights). A value just above
     * the floor needs hundreds of steps at β = 0.9 to become denormal.
     */
    private static final float DENORMAL_FLOOR = 1e-30f;
    private static final int FLUSH_EVERY = 50;

    private final Parameters params;
    private final Kind kind;
    private final double momentum;
    private final double l2;
    private final float[] weights;
    private final float[] gradients;
    private final float[] first;
    private final float[] second;
    private final FloatBuffer nativeWeights;
    private final FloatBuffer nativeGradients;
    /** Ranges [start, end) of the learned buffer whose updates are multiplied by {@link #multipliers}. */
    private final int[] scaledStarts;
    private final int[] scaledEnds;
    private final float[] multipliers;
    private final float[] before;
    private long steps;

    /** @param momentum for Nesterov SGD; @param l2 adds l2·w to the gradient of every decaying weight */
    public Optimizer(Parameters params, Kind kind, double momentum, double l2) {
        this(params, kind, momentum, l2, p -> 1);
    }

    /**
     * @param rateMultiplier each learned parameter's learning rate as a multiple of the step's (as a PyTorch
     *                       parameter group's lr): its update is multiplied by it, whatever the rule
     */
    public Optimizer(Parameters params, Kind kind, double momentum, double l2, ToDoubleFunction<Param> rateMultiplier) {
        if (params.dtype() != DataType.FLOAT) throw new IllegalArgumentException("training runs in 32-bit floats");
        this.params = params;
        this.kind = kind;
        this.momentum = momentum;
        this.l2 = l2;
        int n = Math.toIntExact(params.learnedBuffer().length());
        nativeWeights = floats(params.learnedBuffer());
        nativeGradients = floats(params.gradientBuffer());
        weights = new float[n];
        gradients = new float[n];
        first = kind == Kind.SGD ? null : new float[n];
        second = kind == Kind.ADAM ? new float[n] : null;
        nativeWeights.get(0, weights);
        List<Param> scaled = params.params().stream()
                .filter(p -> p.learned() && rateMultiplier.applyAsDouble(p) != 1).toList();
        scaledStarts = new int[scaled.size()];
        scaledEnds = new int[scaled.size()];
        multipliers = new float[scaled.size()];
        for (int i = 0; i < scaled.size(); i++) {
            Param p = scaled.get(i);
            scaledStarts[i] = (int) params.offset(p);
            scaledEnds[i] = scaledStarts[i] + (int) p.size();
            multipliers[i] = (float) rateMultiplier.applyAsDouble(p);
        }
        before = scaled.isEmpty() ? null : new float[n];
    }

    private static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public Kind kind() { return kind; }

    /** Updates taken so far (Adam's bias correction counts them). */
    public long steps() { return steps; }

    /** Reads the weights again after something else changed them (loading a checkpoint). */
    private void reloadWeights() {
        nativeWeights.get(0, weights);
    }

    public void step(double learningRate) {
        nativeGradients.get(0, gradients);
        steps++;
        int decayed = (int) params.decayedLength();
        if (l2 > 0) addDecay(gradients, weights, decayed, (float) l2);
        float lr = (float) learningRate;
        if (before != null) System.arraycopy(weights, 0, before, 0, weights.length);
        // Static loops over local arrays: the JIT vectorises these, not loops over fields.
        switch (kind) {
            case SGD -> sgd(weights, gradients, lr);
            case NESTEROV -> nesterov(weights, gradients, first, lr, (float) momentum);
            case ADAM -> adam(weights, gradients, first, second, (float) (learningRate / (1 - Math.pow(BETA1, steps))),
                    (float) (1 / Math.sqrt(1 - Math.pow(BETA2, steps))));
            case RMSPROP -> rmsprop(weights, gradients, first, lr);
        }
        for (int r = 0; r < multipliers.length; r++) scale(weights, before, scaledStarts[r], scaledEnds[r], multipliers[r]);
        if (steps % FLUSH_EVERY == 0) {
            flushDenormals(first);
            flushDenormals(second);
        }
        nativeWeights.put(0, weights);
    }

    /** Every rule moves w by lr·(something independent of lr), so a multiple of the rate is that multiple of the move. */
    private static void scale(float[] w, float[] before, int from, int to, float multiplier) {
        for (int i = from; i < to; i++) w[i] = before[i] + multiplier * (w[i] - before[i]);
    }

    private static void addDecay(float[] g, float[] w, int n, float l2) {
        for (int i = 0; i < n; i++) g[i] += l2 * w[i];
    }

    private static void sgd(float[] w, float[] g, float lr) {
        for (int i = 0; i < w.length; i++) w[i] -= lr * g[i];
    }

    /** PyTorch's SGD with nesterov=True: buf = μ·buf + g; w −= lr·(g + μ·buf). */
    private static void nesterov(float[] w, float[] g, float[] buf, float lr, float mu) {
        for (int i = 0; i < w.length; i++) {
            float b = mu * buf[i] + g[i];
            buf[i] = b;
            w[i] -= lr * (g[i] + mu * b);
        }
    }

    /** PyTorch's Adam: w −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε). */
    private static void adam(float[] w, float[] g, float[] m, float[] v, float stepSize, float inverseCorrection2) {
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + (1 - b1) * gi;
            float vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= stepSize * mi / ((float) Math.sqrt(vi) * inverseCorrection2 + eps);
        }
    }

    /** PyTorch's RMSprop without momentum: v = α·v + (1 − α)·g²; w −= lr·g / (√v + ε). */
    private static void rmsprop(float[] w, float[] g, float[] v, float lr) {
        float a = (float) RMS_ALPHA;
        float eps = (float) EPSILON;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float vi = a * v[i] + (1 - a) * gi * gi;
            v[i] = vi;
            w[i] -= lr * gi / ((float) Math.sqrt(vi) + eps);
        }
    }

    private static void flushDenormals(float[] state) {
        if (state == null) return;
        for (int i = 0; i < state.length; i++) if (Math.abs(state[i]) < DENORMAL_FLOOR) state[i] = 0;
    }

    /** The optimizer's state per learned parameter, named "optimizer.{state}.{parameter}". */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<String> names = kind.stateNames();
        for (int s = 0; s < names.size(); s++) {
            float[] buffer = s == 0 ? first : second;
            for (Param p : params.params()) {
                if (!p.learned()) continue;
                int off = (int) params.offset(p);
                float[] slice = new float[(int) p.size()];
                System.arraycopy(buffer, off, slice, 0, slice.length);
                out.put(stateKey(names.get(s), p), slice);
            }
        }
        return out;
    }

    /** The names and shapes {@link #state} gives, for checking a checkpoint before reading it. */
    public static Map<String, long[]> stateShapes(Kind kind, List<Param> params) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String s : kind.stateNames()) {
            for (Param p : params) if (p.learned()) out.put(stateKey(s, p), p.shape());
        }
        return out;
    }

    private static String stateKey(String state, Param p) {
        return "optimizer." + state + "." + p.name();
    }

    /** Restores state saved by {@link #state} after {@code steps} updates; the weights are read again too. */
    public void restore(long steps, Map<String, float[]> state) {
        List<String> names = kind.stateNames();
        for (int s = 0; s < names.size(); s++) {
            float[] buffer = s == 0 ? first : second;
            for (Param p : params.params()) {
                if (!p.learned()) continue;
                float[] slice = state.get(stateKey(names.get(s), p));
                if (slice == null || slice.length != p.size()) {
                    throw new IllegalArgumentException("the optimizer state has no " + stateKey(names.get(s), p));
                }
                System.arraycopy(slice, 0, buffer, (int) params.offset(p), slice.length);
            }
        }
        this.steps = steps;
        reloadWeights();
    }
}
