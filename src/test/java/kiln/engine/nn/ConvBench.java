package kiln.engine.nn;

import kiln.engine.nativesupport.NativeSetup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;

/**
 * Benchmark, not a test: the convolution, ReLU and pooling part of LeNet (c5x6-p2-c5x16-p2) and of the Keras
 * MNIST CNN (c3x32-p2-c3x64-p2-c3x64) on 1x28x28 inputs, batch 64, one training step's forward and backward
 * (no input gradient), at 1 and 2 threads. ND4J's ops and the oneDNN kernels run over the same buffers, in
 * alternating order each round; PyTorch (docs/scripts/conv-bench-torch.py) runs between them when a Python
 * with torch is given. Prints per round, then the median and range over rounds, per-round ratios and per layer.
 * <pre>usage: ConvBench [--rounds 5] [--steps 60] [--torch PYTHON] [--pool-layouts] [--net lenet|keras|resnet] [--threads 1|2]</pre>
 * resnet (not run by default): the convolutions of the cifar10-resnet-small sample.
 * --pool-layouts adds oneDNN runs that pool in blocked layouts (nChw8c, nChw16c) and NHWC instead of NCHW.
 */
public final class ConvBench {

    private static final int BATCH = 64;
    private static final String HEAD = "head";

    private ConvBench() { }

    /** One way to run the part: a kernel per primitive, and each round's step times. */
    private static final class Path {
        final String name;
        final List<String> layers = new ArrayList<>();
        final List<Kernel> kernels = new ArrayList<>();
        final List<Double> roundMedians = new ArrayList<>();
        /** Per layer, forward and backward milliseconds of every timed step. */
        final Map<String, List<double[]>> layerMs = new LinkedHashMap<>();

        Path(String name) {
            this.name = name;
        }

        void add(String layer, Kernel k) {
            layers.add(layer);
            kernels.add(k);
        }

        void round(int warmup, int steps) {
            for (int i = 0; i < warmup; i++) step(null);
            double[] total = new double[steps];
            for (int i = 0; i < steps; i++) {
                double[][] perKernel = new double[kernels.size()][2];
                long t0 = System.nanoTime();
                step(perKernel);
                total[i] = (System.nanoTime() - t0) / 1e6;
                for (int k = 0; k < kernels.size(); k++) layerMs.computeIfAbsent(layers.get(k), l -> new ArrayList<>()).add(perKernel[k]);
            }
            roundMedians.add(median(total));
        }

        private void step(double[][] ms) {
            for (int k = 0; k < kernels.size(); k++) {
                long t = System.nanoTime();
                kernels.get(k).forward(true);
                if (ms != null) ms[k][0] = (System.nanoTime() - t) / 1e6;
            }
            for (int k = kernels.size() - 1; k >= 0; k--) {
                long t = System.nanoTime();
                kernels.get(k).backward(true);
                if (ms != null) ms[k][1] = (System.nanoTime() - t) / 1e6;
            }
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        NativeSetup.prepare();
        int rounds = 5;
        int steps = 60;
        String python = null;
        boolean poolLayouts = false;
        List<String> nets = List.of("lenet", "keras");
        List<Integer> threadCounts = List.of(1, 2);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--torch" -> python = args[++i];
                case "--pool-layouts" -> poolLayouts = true;
                case "--net" -> nets = List.of(args[++i]);
                case "--threads" -> threadCounts = List.of(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        for (String net : nets) {
            for (int threads : threadCounts) {
                run(net, threads, rounds, steps, python, poolLayouts);
            }
        }
    }

    private static void run(String net, int threads, int rounds, int steps, String python, boolean poolLayouts)
            throws IOException, InterruptedException {
        // oneDNN sizes its work for the thread count in force when a primitive is made.
        NativeSetup.useThreads(threads);
        NetworkSpec spec = switch (net) {
            case "lenet" -> lenet();
            case "keras" -> keras();
            case "resnet" -> resnetConvolutions();
            default -> throw new IllegalArgumentException("unknown network " + net);
        };
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(42);
        try (Plan plan = new Plan(spec, params, BATCH, Plan.Mode.TRAIN, 1)) {
            Random r = new Random(7);
            fill(plan.input(), r, false);
            List<Primitive> part = spec.primitives().stream().filter(p -> !p.layer().equals(HEAD)).toList();
            fill(plan.gradient(part.get(part.size() - 1).output()), r, true);

            List<Path> paths = new ArrayList<>();
            paths.add(path("nd4j", part, p -> Rebind.kernel(plan, params, p, false)));
            paths.add(path("dnnl", part, p -> Rebind.kernel(plan, params, p, true)));
            if (poolLayouts) {
                for (Map.Entry<String, Integer> layout : List.of(Map.entry("nChw8c", dnnl_nChw8c),
                        Map.entry("nChw16c", dnnl_nChw16c), Map.entry("nhwc", dnnl_nhwc))) {
                    paths.add(path("dnnl pool " + layout.getKey(), part, p -> p instanceof Pool2d pool
                            ? pool.bindDnnl(Rebind.binding(plan, params, p), layout.getValue()) : Rebind.kernel(plan, params, p, true)));
                }
            }
            printImplementations(paths.get(1));
            List<Double> torch = new ArrayList<>();
            int warmup = steps / 5;
            for (int round = 0; round < rounds; round++) {
                List<Path> order = new ArrayList<>(paths);
                if (round % 2 == 1) Collections.reverse(order);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s threads=%d round=%d", net, threads, round + 1));
                for (Path p : order) {
                    p.round(warmup, steps);
                    line.append(String.format(Locale.ROOT, "  %s=%.2f", p.name.replace(' ', '_'), last(p.roundMedians)));
                }
                if (python != null) {
                    torch.add(torch(python, net, threads, steps, warmup));
                    line.append(String.format(Locale.ROOT, "  torch=%.2f", last(torch)));
                }
                System.out.println(line);
            }
            report(net, threads, paths, torch);
        }
    }

    private static Path path(String name, List<Primitive> part, Function<Primitive, Kernel> bind) {
        Path path = new Path(name);
        for (Primitive p : part) path.add(p.layer(), bind.apply(p));
        return path;
    }

    private static void printImplementations(Path dnnl) {
        for (int k = 0; k < dnnl.kernels.size(); k++) {
            Kernel kernel = dnnl.kernels.get(k);
            List<String> impls = kernel instanceof DnnlConv2d c ? c.implementations()
                    : kernel instanceof DnnlPool2d p ? p.implementations() : null;
            if (impls != null) System.out.println("  " + dnnl.layers.get(k) + " oneDNN implementations: " + impls);
        }
    }

    private static void report(String net, int threads, List<Path> paths, List<Double> torch) {
        System.out.printf(Locale.ROOT, "%n%s, %d thread(s), batch %d: conv+relu+pool forward+backward per step, ms, "
                + "median [min-max] of %d round medians%n", net, threads, BATCH, paths.get(0).roundMedians.size());
        for (Path p : paths) System.out.printf(Locale.ROOT, "  %-18s %s%n", p.name, summary(p.roundMedians));
        if (!torch.isEmpty()) System.out.printf(Locale.ROOT, "  %-18s %s%n", "torch", summary(torch));
        Path nd4j = paths.get(0);
        Path dnnl = paths.get(1);
        System.out.printf(Locale.ROOT, "  nd4j / dnnl time, per round: %s%n", summary(ratios(nd4j.roundMedians, dnnl.roundMedians)));
        if (!torch.isEmpty()) {
            System.out.printf(Locale.ROOT, "  dnnl / torch time, per round: %s%n", summary(ratios(dnnl.roundMedians, torch)));
            System.out.printf(Locale.ROOT, "  nd4j / torch time, per round: %s%n", summary(ratios(nd4j.roundMedians, torch)));
        }
        System.out.println("  per layer, median ms forward + backward:");
        for (String layer : nd4j.layerMs.keySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    %-6s", layer));
            for (Path p : paths) {
                List<double[]> ms = p.layerMs.get(layer);
                line.append(String.format(Locale.ROOT, "  %s %.3f + %.3f", p.name, median(ms, 0), median(ms, 1)));
            }
            System.out.println(line);
        }
        System.out.println();
    }

    private static double torch(String python, String net, int threads, int steps, int warmup) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python, "docs/scripts/conv-bench-torch.py", net, Integer.toString(threads),
                Integer.toString(steps), Integer.toString(warmup)).redirectErrorStream(true);
        // The same OpenMP waiting as Kiln's: busy-waiting threads collapse when other work wants a core.
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process process = pb.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("RESULT")) result = line;
            }
        }
        if (process.waitFor() != 0 || result == null) throw new IllegalStateException("PyTorch run failed:\n" + output);
        return Double.parseDouble(result.substring(result.indexOf("median_ms=") + "median_ms=".length()).trim());
    }

    /** conv c5x6 - relu - maxpool 2 - conv c5x16 - relu - maxpool 2 on 1x28x28, as pytorch_reference.py's LeNet. */
    private static NetworkSpec lenet() {
        NetworkBuilder nb = new NetworkBuilder();
        Tensor x = nb.layer("in").networkInput(1, 28, 28);
        x = pool(nb, "pool1", relu(nb, "relu1", conv(nb, "conv1", x, 6, 5)));
        x = pool(nb, "pool2", relu(nb, "relu2", conv(nb, "conv2", x, 16, 5)));
        return withHead(nb, x);
    }

    /** conv c3x32 - relu - maxpool 2 - conv c3x64 - relu - maxpool 2 - conv c3x64 - relu, the Keras MNIST CNN. */
    private static NetworkSpec keras() {
        NetworkBuilder nb = new NetworkBuilder();
        Tensor x = nb.layer("in").networkInput(1, 28, 28);
        x = pool(nb, "pool1", relu(nb, "relu1", conv(nb, "conv1", x, 32, 3)));
        x = pool(nb, "pool2", relu(nb, "relu2", conv(nb, "conv2", x, 64, 3)));
        x = relu(nb, "relu3", conv(nb, "conv3", x, 64, 3));
        return withHead(nb, x);
    }

    /**
     * The nine 3x3 "same" convolutions of the cifar10-resnet-small sample on 3x32x32 (two with stride 2), each
     * followed by a ReLU; without its batch norms and additions, which are not what this measures.
     */
    private static NetworkSpec resnetConvolutions() {
        NetworkBuilder nb = new NetworkBuilder();
        Tensor x = nb.layer("in").networkInput(3, 32, 32);
        int[][] layers = {{16, 1}, {16, 1}, {16, 1}, {32, 2}, {32, 1}, {32, 1}, {64, 2}, {64, 1}, {64, 1}};
        for (int i = 0; i < layers.length; i++) {
            x = relu(nb, "relu" + (i + 1), conv(nb, "conv" + (i + 1), x, layers[i][0], 3, layers[i][1], true));
        }
        return withHead(nb, x);
    }

    private static Tensor conv(NetworkBuilder nb, String name, Tensor x, int filters, int kernel) {
        return conv(nb, name, x, filters, kernel, 1, false);
    }

    private static Tensor conv(NetworkBuilder nb, String name, Tensor x, int filters, int kernel, int stride, boolean same) {
        LayerBuilder b = nb.layer(name);
        return b.conv2d(x, b.weight("weight", Init.he(x.dim(0) * kernel * kernel), filters, x.dim(0), kernel, kernel),
                b.bias("bias", Init.constant(0.01), filters), kernel, stride, same);
    }

    private static Tensor relu(NetworkBuilder nb, String name, Tensor x) {
        return nb.layer(name).activation(x, "relu", 0);
    }

    private static Tensor pool(NetworkBuilder nb, String name, Tensor x) {
        return nb.layer(name).maxPool(x, 2, 2, false);
    }

    /** A network needs a loss; the benchmark leaves this head out of the timing. */
    private static NetworkSpec withHead(NetworkBuilder nb, Tensor x) {
        LayerBuilder head = nb.layer(HEAD);
        Tensor flat = head.flatten(x);
        head.output(head.linear(flat, head.weight("weight", Init.glorot(flat.dim(0), 10), 10, flat.dim(0)),
                head.bias("bias", Init.zeros(), 10)), LossKind.SOFTMAX_CROSS_ENTROPY);
        return nb.build();
    }

    private static void fill(INDArray a, Random r, boolean gaussian) {
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) v[i] = gaussian ? r.nextGaussian() : r.nextDouble();
        Host.write(a, v);
    }

    private static double last(List<Double> xs) {
        return xs.get(xs.size() - 1);
    }

    private static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) r.add(a.get(i) / b.get(i));
        return r;
    }

    private static String summary(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", median(v), v[0], v[v.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double median(List<double[]> rows, int column) {
        return median(rows.stream().mapToDouble(row -> row[column]).toArray());
    }
}
