package kiln.engine.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every primitive's gradients against central differences of the loss, in double precision: the parameters'
 * and the input's, in training mode, and the input's in inference mode (explaining).
 */
class GradientCheckTest {

    private static final double EPS = 1e-6;
    private static final double TOLERANCE = 1e-5;
    private static final int BATCH = 3;

    /** The body under test feeds a flatten (if needed), a linear map to 4 classes and the loss. */
    private static NetworkSpec net(long[] inputShape, BiFunction<LayerBuilder, Tensor, Tensor> body, LossKind kind) {
        NetworkBuilder nb = new NetworkBuilder();
        Tensor x = nb.layer("in").networkInput(inputShape);
        Tensor h = body.apply(nb.layer("body"), x);
        LayerBuilder out = nb.layer("out");
        if (h.rank() != 1) h = out.flatten(h);
        Param w = out.weight("weight", Init.glorot(h.dim(0), 4), 4, h.dim(0));
        Param b = out.bias("bias", Init.constant(0.1), 4);
        out.output(out.linear(h, w, b), kind);
        return nb.build();
    }

    private static Tensor conv(LayerBuilder b, Tensor x, int filters, int kernel, int stride, boolean same) {
        Param w = b.weight("weight" + filters + kernel + stride + same, Init.he(x.dim(0) * kernel * kernel), filters, x.dim(0), kernel, kernel);
        Param bias = b.bias("bias" + filters + kernel + stride + same, Init.constant(0.05), filters);
        return b.conv2d(x, w, bias, kernel, stride, same);
    }

    @Test
    void linearWithEveryLoss() {
        for (LossKind kind : LossKind.values()) {
            check(net(new long[] {5}, (b, x) -> b.linear(x, b.weight("weight", Init.glorot(5, 6), 6, 5),
                    b.bias("bias", Init.constant(0.1), 6)), kind), "linear " + kind);
        }
    }

    @Test
    void convolutions() {
        check(net(new long[] {2, 6, 6}, (b, x) -> conv(b, x, 3, 3, 1, false), LossKind.SOFTMAX_CROSS_ENTROPY), "conv valid");
        check(net(new long[] {2, 5, 5}, (b, x) -> conv(b, x, 3, 3, 1, true), LossKind.SOFTMAX_CROSS_ENTROPY), "conv same");
        check(net(new long[] {2, 7, 7}, (b, x) -> conv(b, x, 2, 3, 2, true), LossKind.SOFTMAX_CROSS_ENTROPY), "conv same stride 2");
        check(net(new long[] {1, 7, 6}, (b, x) -> conv(b, x, 2, 2, 2, false), LossKind.SOFTMAX_CROSS_ENTROPY), "conv valid stride 2");
    }

    @Test
    void pooling() {
        check(net(new long[] {2, 6, 6}, (b, x) -> b.maxPool(x, 2, 2, false), LossKind.SOFTMAX_CROSS_ENTROPY), "max valid");
        check(net(new long[] {2, 5, 5}, (b, x) -> b.maxPool(x, 2, 2, true), LossKind.SOFTMAX_CROSS_ENTROPY), "max same");
        check(net(new long[] {2, 5, 5}, (b, x) -> b.maxPool(x, 3, 1, false), LossKind.SOFTMAX_CROSS_ENTROPY), "max overlapping");
        check(net(new long[] {2, 6, 6}, (b, x) -> b.avgPool(x, 2, 2, false), LossKind.SOFTMAX_CROSS_ENTROPY), "avg valid");
        check(net(new long[] {2, 5, 5}, (b, x) -> b.avgPool(x, 2, 2, true), LossKind.SOFTMAX_CROSS_ENTROPY), "avg same");
        check(net(new long[] {3, 4, 5}, (b, x) -> b.globalAvgPool(x), LossKind.SOFTMAX_CROSS_ENTROPY), "global avg image");
        check(net(new long[] {4, 3}, (b, x) -> b.globalAvgPool(x), LossKind.SOFTMAX_CROSS_ENTROPY), "global avg sequence");
    }

    private static Tensor batchNorm(LayerBuilder b, Tensor x) {
        long c = x.dim(0);
        return b.batchNorm(x, b.bias("weight", Init.constant(1.3), c), b.bias("bias", Init.constant(-0.2), c),
                b.state("running_mean", Init.constant(0.3), c), b.state("running_var", Init.constant(1.7), c), 0.9, 1e-5);
    }

    @Test
    void batchNormalisation() {
        check(net(new long[] {2, 3, 3}, GradientCheckTest::batchNorm, LossKind.SOFTMAX_CROSS_ENTROPY), "batch norm image");
        check(net(new long[] {5}, GradientCheckTest::batchNorm, LossKind.SOFTMAX_CROSS_ENTROPY), "batch norm vector");
    }

    @Test
    void activations() {
        for (String f : List.of("relu", "leaky_relu", "sigmoid", "tanh", "softmax")) {
            check(net(new long[] {6}, (b, x) -> b.activation(x, f, 0.1), LossKind.SOFTMAX_CROSS_ENTROPY), f);
        }
        check(net(new long[] {2, 3, 3}, (b, x) -> b.activation(x, "relu", 0), LossKind.MEAN_SQUARED_ERROR), "relu image");
        check(net(new long[] {6}, (b, x) -> b.activation(x, "tanh", 0), LossKind.MEAN_ABSOLUTE_ERROR), "tanh, absolute error");
    }

    @Test
    void dropout() {
        check(net(new long[] {8}, (b, x) -> b.dropout(x, 0.4), LossKind.SOFTMAX_CROSS_ENTROPY), "dropout");
    }

    @Test
    void mergesAndFanOut() {
        // x feeds two branches and the add: its gradient is the sum of three.
        check(net(new long[] {2, 4, 4}, (b, x) -> b.add(List.of(conv(b, x, 2, 3, 1, true), b.activation(x, "tanh", 0), x)),
                LossKind.SOFTMAX_CROSS_ENTROPY), "residual add");
        check(net(new long[] {2, 4, 4}, (b, x) -> b.concat(List.of(conv(b, x, 3, 3, 1, true), x), 0),
                LossKind.SOFTMAX_CROSS_ENTROPY), "concat channels");
        check(net(new long[] {5}, (b, x) -> b.concat(List.of(b.activation(x, "sigmoid", 0), x), 0),
                LossKind.SOFTMAX_CROSS_ENTROPY), "concat vectors");
        check(net(new long[] {4, 3}, (b, x) -> b.concat(List.of(b.activation(x, "tanh", 0), x), 1),
                LossKind.SOFTMAX_CROSS_ENTROPY), "concat sequence features");
    }

    @Test
    void sequences() {
        check(net(new long[] {4, 3}, (b, x) -> b.lstm(x, b.weight("weight_ih_l0", Init.glorot(3, 20), 20, 3),
                b.weight("weight_hh_l0", Init.glorot(5, 20), 20, 5), b.bias("bias", Init.constant(0.1), 20), true),
                LossKind.SOFTMAX_CROSS_ENTROPY), "lstm sequences");
        check(net(new long[] {4, 3}, (b, x) -> b.lstm(x, b.weight("weight_ih_l0", Init.glorot(3, 20), 20, 3),
                b.weight("weight_hh_l0", Init.glorot(5, 20), 20, 5), b.bias("bias", Init.constant(0.1), 20), false),
                LossKind.SIGMOID_BINARY_CROSS_ENTROPY), "lstm last step");
    }

    @Test
    void lowRankAdapterOnAFrozenLinearMap() {
        // B starts non-zero here (it is zero in a real layer) so that A's gradient is not zero too.
        check(net(new long[] {5}, (b, x) -> b.add(List.of(
                b.linear(x, b.fixed("weight", Init.glorot(5, 6), 6, 5), b.fixed("bias", Init.constant(0.1), 6)),
                b.lowRank(x, b.weight("lora_A", Init.uniform(0.5), 2, 5), b.weight("lora_B", Init.glorot(2, 6), 6, 2), 1.5))),
                LossKind.SOFTMAX_CROSS_ENTROPY), "lora");
    }

    @Test
    void embeddingTable() {
        NetworkSpec spec = net(new long[] {5, 1}, (b, x) -> b.embedding(x, b.weight("weight", Init.glorot(7, 3), 7, 3)),
                LossKind.SOFTMAX_CROSS_ENTROPY);
        // Token ids are not differentiable: check the table's gradient only.
        checkParams(spec, "embedding", x -> {
            Random r = new Random(3);
            for (int i = 0; i < x.length; i++) x[i] = r.nextInt(7);
        });
    }

    // --- the check itself ---

    private static void check(NetworkSpec spec, String what) {
        checkParams(spec, what, GradientCheckTest::gaussian);
        checkInferenceInputGradient(spec, what);
        checkFloatAgreesWithDouble(spec, what);
    }

    /**
     * ND4J runs float32 through other kernels than float64 (oneDNN's), which the double-precision checks above do
     * not reach: the float path must give the same loss and gradients.
     */
    private static void checkFloatAgreesWithDouble(NetworkSpec spec, String what) {
        double[][] results = new double[2][];
        List<double[]> gradients = new ArrayList<>();
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            Parameters params = new Parameters(spec.params(), type);
            params.initialise(5);
            try (Plan plan = new Plan(spec, params, 8, Plan.Mode.TRAIN, 1, true)) {
                double[] x = new double[(int) plan.input().length()];
                gaussian(x);
                Host.write(plan.input(), x);
                Host.write(plan.target(), targets(spec.lossKind(), (int) plan.target().length()));
                plan.reseed(9);
                plan.forward();
                plan.backward();
                results[type == DataType.DOUBLE ? 0 : 1] = new double[] {plan.loss()};
                for (Param p : spec.params()) if (p.learned()) gradients.add(Host.read(params.gradient(p).dup('c')));
                gradients.add(Host.read(plan.gradient(spec.input())));
            }
        }
        assertEquals(results[0][0], results[1][0], 1e-5 * Math.abs(results[0][0]), what + ": float loss");
        int half = gradients.size() / 2;
        for (int k = 0; k < half; k++) {
            double[] d = gradients.get(k);
            double[] f = gradients.get(k + half);
            double scale = 0;
            for (double v : d) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i], f[i], 1e-4 * scale + 1e-7, what + ": float gradient " + k + "[" + i + "]");
            }
        }
    }

    private static void gaussian(double[] x) {
        Random r = new Random(11);
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
    }

    private interface Filler { void fill(double[] x); }

    private static void checkParams(NetworkSpec spec, String what, Filler inputs) {
        Parameters params = new Parameters(spec.params(), DataType.DOUBLE);
        params.initialise(5);
        boolean ids = spec.primitives().stream().anyMatch(p -> p instanceof Embedding);
        try (Plan plan = new Plan(spec, params, BATCH, Plan.Mode.TRAIN, 1, !ids)) {
            double[] x = new double[(int) plan.input().length()];
            inputs.fill(x);
            Host.write(plan.input(), x);
            Host.write(plan.target(), targets(spec.lossKind(), (int) plan.target().length()));
            plan.reseed(9);
            plan.forward();
            plan.backward();
            List<String> failures = new ArrayList<>();
            for (Param p : spec.params()) {
                if (!p.learned()) continue;
                double[] analytic = Host.read(params.gradient(p).dup('c'));
                INDArray value = params.value(p);
                compare(what + " " + p.name(), analytic, value, () -> loss(plan), failures);
            }
            if (!ids) compare(what + " input", Host.read(plan.gradient(spec.input())), plan.input(), () -> loss(plan), failures);
            if (!failures.isEmpty()) fail(String.join("\n", failures));
        }
    }

    /** In inference mode, the gradient of Σ seed·logits with respect to the input. */
    private static void checkInferenceInputGradient(NetworkSpec spec, String what) {
        Parameters params = new Parameters(spec.params(), DataType.DOUBLE);
        params.initialise(5);
        try (Plan plan = new Plan(spec, params, BATCH, Plan.Mode.EXPLAIN, 1)) {
            double[] x = new double[(int) plan.input().length()];
            gaussian(x);
            Host.write(plan.input(), x);
            double[] seed = new double[(int) plan.gradient(spec.logits()).length()];
            Random r = new Random(2);
            for (int i = 0; i < seed.length; i++) seed[i] = r.nextGaussian();
            plan.forward();
            Host.write(plan.gradient(spec.logits()), seed);
            plan.backward();
            List<String> failures = new ArrayList<>();
            compare(what + " input (inference)", Host.read(plan.gradient(spec.input())), plan.input(), () -> {
                plan.forward();
                double[] z = Host.read(plan.value(spec.logits()));
                double s = 0;
                for (int i = 0; i < z.length; i++) s += z[i] * seed[i];
                return s;
            }, failures);
            if (!failures.isEmpty()) fail(String.join("\n", failures));
        }
    }

    private static double loss(Plan plan) {
        plan.reseed(9);
        plan.forward();
        return plan.loss();
    }

    private static double[] targets(LossKind kind, int length) {
        double[] y = new double[length];
        Random r = new Random(4);
        for (int i = 0; i < length; i += 4) {
            if (kind == LossKind.SOFTMAX_CROSS_ENTROPY) y[i + r.nextInt(4)] = 1;
            else for (int j = 0; j < 4; j++) y[i + j] = kind.linear() ? r.nextGaussian() : r.nextInt(2);
        }
        return y;
    }

    private interface Objective { double value(); }

    /** Compares up to 40 entries of an analytic gradient with central differences of the objective. */
    private static void compare(String what, double[] analytic, INDArray value, Objective f, List<String> failures) {
        INDArray flat = value.reshape('c', new long[] {value.length()});
        assertTrue(flat.data() == value.data() || flat.data().address() == value.data().address(), "flat view of " + what);
        int n = analytic.length;
        int step = Math.max(1, n / 40);
        double worst = 0;
        for (int i = 0; i < n; i += step) {
            double old = flat.getDouble(i);
            flat.putScalar(i, old + EPS);
            double up = f.value();
            flat.putScalar(i, old - EPS);
            double down = f.value();
            flat.putScalar(i, old);
            double numeric = (up - down) / (2 * EPS);
            double error = Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric) + Math.abs(analytic[i]), 1e-3);
            worst = Math.max(worst, error);
            if (error > TOLERANCE) {
                failures.add(what + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric);
                return;
            }
        }
        assertTrue(worst <= TOLERANCE);
    }
}
