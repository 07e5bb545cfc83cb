package kiln.engine.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float32 oneDNN kernels against ND4J's ops on the same inputs and weights: the layer's output, the gradients
 * of its parameters and of its input, each within 1e-4 of the largest ND4J value (max-norm relative error).
 */
class DnnlKernelTest {

    private static final double TOLERANCE = 1e-4;

    /** The body under test feeds a flatten, a linear map to 4 classes and softmax cross-entropy. */
    private static NetworkSpec net(long[] inputShape, BiFunction<LayerBuilder, Tensor, Tensor> body) {
        NetworkBuilder nb = new NetworkBuilder();
        Tensor x = nb.layer("in").networkInput(inputShape);
        Tensor h = body.apply(nb.layer("body"), x);
        nb.layerOutput("body", h);
        LayerBuilder out = nb.layer("out");
        Tensor flat = out.flatten(h);
        out.output(out.linear(flat, out.weight("weight", Init.glorot(flat.dim(0), 4), 4, flat.dim(0)),
                out.bias("bias", Init.constant(0.1), 4)), LossKind.SOFTMAX_CROSS_ENTROPY);
        return nb.build();
    }

    private static Tensor conv(LayerBuilder b, String name, Tensor x, int filters, int kernel, int stride, boolean same) {
        Param w = b.weight(name + ".weight", Init.he(x.dim(0) * kernel * kernel), filters, x.dim(0), kernel, kernel);
        // A bias that differs per filter, so a wrong bias layout shows.
        Param bias = b.bias(name + ".bias", Init.he(1), filters);
        return b.conv2d(x, w, bias, kernel, stride, same);
    }

    private record ConvCase(int channels, int height, int width, int filters, int kernel, int stride, boolean same, int batch) {
        @Override
        public String toString() {
            return "conv " + channels + "x" + height + "x" + width + " -> " + filters + " k" + kernel + " s" + stride
                    + (same ? " same" : " valid") + " batch " + batch;
        }
    }

    @Test
    void convolutionsMatchNd4j() {
        List<ConvCase> cases = new ArrayList<>();
        int[][] shapes = {{1, 9, 9, 6}, {3, 11, 7, 16}, {6, 13, 13, 32}, {2, 28, 28, 5}};
        int n = 0;
        for (boolean same : new boolean[] {false, true}) {
            for (int stride : new int[] {1, 2}) {
                for (int kernel : new int[] {1, 3, 5}) {
                    int[] s = shapes[n++ % shapes.length];
                    cases.add(new ConvCase(s[0], s[1], s[2], s[3], kernel, stride, same, 1));
                    int[] t = shapes[n % shapes.length];
                    cases.add(new ConvCase(t[0], t[1], t[2], t[3], kernel, stride, same, 64));
                }
            }
        }
        // The extremes the engine accepts: the largest kernel, a stride larger than the kernel, odd same-padding.
        cases.add(new ConvCase(2, 19, 17, 3, 15, 8, true, 2));
        cases.add(new ConvCase(2, 19, 17, 3, 15, 1, false, 2));
        cases.add(new ConvCase(3, 10, 9, 4, 1, 8, true, 2));
        cases.add(new ConvCase(3, 23, 21, 4, 7, 3, true, 2));
        List<String> failures = new ArrayList<>();
        for (ConvCase c : cases) {
            NetworkSpec spec = net(new long[] {c.channels, c.height, c.width},
                    (b, x) -> conv(b, "c1", x, c.filters, c.kernel, c.stride, c.same));
            compare(spec, c.batch, true, c.toString(), failures);
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    @Test
    void firstLayerSkipsTheInputGradientAndStillMatches() {
        NetworkSpec spec = net(new long[] {1, 28, 28}, (b, x) -> b.maxPool(b.activation(conv(b, "c1", x, 6, 5, 1, false), "relu", 0), 2, 2, false));
        List<String> failures = new ArrayList<>();
        compare(spec, 64, false, "lenet first layer", failures);
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    @Test
    void poolingMatchesNd4j() {
        List<String> failures = new ArrayList<>();
        int[][] windows = {{2, 2}, {3, 2}, {3, 1}, {2, 1}};
        for (boolean max : new boolean[] {true, false}) {
            for (boolean same : new boolean[] {false, true}) {
                for (int[] w : windows) {
                    for (int batch : new int[] {1, 64}) {
                        long[] shape = batch == 1 ? new long[] {3, 9, 7} : new long[] {6, 24, 24};
                        String what = (max ? "max" : "avg") + " pool " + w[0] + " stride " + w[1] + (same ? " same" : " valid")
                                + " batch " + batch;
                        NetworkSpec spec = net(shape, (b, x) -> max ? b.maxPool(x, w[0], w[1], same) : b.avgPool(x, w[0], w[1], same));
                        compare(spec, batch, true, what, failures);
                    }
                }
            }
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
    }

    @Test
    void floatPlansBindOneDnnAndDoublePlansNd4j() {
        NetworkSpec spec = net(new long[] {2, 8, 8}, (b, x) -> b.maxPool(conv(b, "c1", x, 3, 3, 1, true), 2, 2, false));
        for (DataType dtype : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Parameters params = new Parameters(spec.params(), dtype);
            try (Plan plan = new Plan(spec, params, 2, Plan.Mode.TRAIN, 1)) {
                for (Primitive p : spec.primitives()) {
                    if (!(p instanceof Conv2d || p instanceof Pool2d)) continue;
                    Kernel on = Rebind.kernel(plan, params, p, true);
                    Kernel off = Rebind.kernel(plan, params, p, false);
                    boolean dnnl = on instanceof DnnlConv2d || on instanceof DnnlPool2d;
                    assertEquals(dtype == DataType.FLOAT, dnnl, p.layer() + " " + dtype + ": " + on.getClass());
                    assertFalse(off instanceof DnnlConv2d || off instanceof DnnlPool2d, "kiln.engine.dnnl=false");
                }
            }
        }
    }

    /** The trap of ENGINE-SPIKE.md: a primitive that silently runs oneDNN's reference code is hundreds of times slower. */
    @Test
    void referenceNetworksGetOptimisedImplementations() {
        NetworkSpec lenet = net(new long[] {1, 28, 28}, (b, x) -> {
            Tensor h = b.maxPool(conv(b, "c1", x, 6, 5, 1, false), 2, 2, false);
            return b.maxPool(conv(b, "c2", h, 16, 5, 1, false), 2, 2, false);
        });
        NetworkSpec keras = net(new long[] {1, 28, 28}, (b, x) -> {
            Tensor h = b.maxPool(conv(b, "c1", x, 32, 3, 1, false), 2, 2, false);
            h = b.maxPool(conv(b, "c2", h, 64, 3, 1, false), 2, 2, false);
            return conv(b, "c3", h, 64, 3, 1, false);
        });
        for (NetworkSpec spec : List.of(lenet, keras)) {
            Parameters params = new Parameters(spec.params(), DataType.FLOAT);
            try (Plan plan = new Plan(spec, params, 64, Plan.Mode.TRAIN, 1)) {
                for (Primitive p : spec.primitives()) {
                    Kernel k = p instanceof Conv2d || p instanceof Pool2d ? Rebind.kernel(plan, params, p, true) : null;
                    List<String> impls = k instanceof DnnlConv2d c ? c.implementations()
                            : k instanceof DnnlPool2d q ? q.implementations() : List.of();
                    for (String impl : impls) assertFalse(impl.startsWith("ref"), p.layer() + " uses " + impls);
                }
            }
        }
    }

    private static void compare(NetworkSpec spec, int batch, boolean inputGradient, String what, List<String> failures) {
        Map<String, double[]> expected = run(spec, batch, inputGradient, false);
        Map<String, double[]> actual = run(spec, batch, inputGradient, true);
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String key : expected.keySet()) {
            double[] e = expected.get(key);
            double[] a = actual.get(key);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < e.length; i++) {
                scale = Math.max(scale, Math.abs(e[i]));
                worst = Math.max(worst, Math.abs(e[i] - a[i]));
            }
            assertTrue(scale > 0, what + " " + key + " is all zeros: the case tests nothing");
            if (worst > TOLERANCE * scale) failures.add(what + " " + key + ": relative error " + worst / scale);
        }
    }

    /** One training step's body output, parameter gradients and (if asked) input gradient. */
    private static Map<String, double[]> run(NetworkSpec spec, int batch, boolean inputGradient, boolean dnnl) {
        String old = System.getProperty(Dnnl.PROPERTY);
        System.setProperty(Dnnl.PROPERTY, Boolean.toString(dnnl));
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(5);
        try (Plan plan = new Plan(spec, params, batch, Plan.Mode.TRAIN, 1, inputGradient)) {
            Random r = new Random(11);
            double[] x = new double[(int) plan.input().length()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
            Host.write(plan.input(), x);
            double[] y = new double[(int) plan.target().length()];
            for (int i = 0; i < y.length; i += 4) y[i + r.nextInt(4)] = 1;
            Host.write(plan.target(), y);
            plan.forward();
            plan.backward();
            Map<String, double[]> result = new LinkedHashMap<>();
            result.put("output", Host.read(plan.value(spec.layerOutputs().get("body"))));
            for (Param p : spec.params()) {
                if (p.name().startsWith("body.")) result.put(p.name() + " gradient", Host.read(params.gradient(p).dup('c')));
            }
            if (inputGradient) result.put("input gradient", Host.read(plan.gradient(spec.input())));
            return result;
        } finally {
            if (old == null) System.clearProperty(Dnnl.PROPERTY);
            else System.setProperty(Dnnl.PROPERTY, old);
        }
    }
}
