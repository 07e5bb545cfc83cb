package kiln.engine.nn;

import kiln.engine.nativesupport.NativeSetup;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Benchmark, not a test: why DnnlConv2d makes backward-weights for one thread. For each convolution of LeNet, the
 * Keras MNIST CNN, the small CIFAR ResNet and the Fashion-MNIST CNN's first layer (batch 64), the forward and the
 * backward-weights primitive are made for two threads and for one and run alternately; prints the medians.
 * <pre>usage: ConvThreadsBench [runs=21]</pre>
 */
public final class ConvThreadsBench {

    /** in channels, filters, height, width, kernel, stride, same (1) or valid (0). */
    private static final int[][] LAYERS = {
            {1, 6, 28, 28, 5, 1, 0}, {6, 16, 12, 12, 5, 1, 0},
            {1, 32, 28, 28, 3, 1, 0}, {32, 64, 13, 13, 3, 1, 0}, {64, 64, 5, 5, 3, 1, 0},
            {3, 16, 32, 32, 3, 1, 1}, {16, 16, 32, 32, 3, 1, 1}, {16, 32, 32, 32, 3, 2, 1}, {32, 32, 16, 16, 3, 1, 1},
            {32, 64, 16, 16, 3, 2, 1}, {64, 64, 8, 8, 3, 1, 1},
            {1, 16, 28, 28, 5, 1, 1}};

    private ConvThreadsBench() { }

    public static void main(String[] args) {
        NativeSetup.prepare();
        NativeSetup.useThreads(2);
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        for (int[] l : LAYERS) {
            boolean same = l[6] == 1;
            long[] x = {64, l[0], l[2], l[3]};
            long[] w = {l[1], l[0], l[4], l[4]};
            long[] y = {64, l[1], Conv2d.windowOutput(l[2], l[4], l[5], same), Conv2d.windowOutput(l[3], l[4], l[5], same)};
            long[] strides = {l[5], l[5]};
            long[] before = Conv2d.padding(x, l[4], l[5], same, false);
            long[] after = Conv2d.padding(x, l[4], l[5], same, true);
            try (Dnnl dnnl = new Dnnl()) {
                dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
                Dnnl.check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, Dnnl.any(x),
                        Dnnl.any(w), Dnnl.plain(l[1]), Dnnl.any(y), strides, before, after), "describe a convolution");
                dnnl_primitive_desc fwd = dnnl.primitiveDesc(fd, null);
                dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
                Dnnl.check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, Dnnl.any(x), Dnnl.any(w),
                        Dnnl.plain(l[1]), Dnnl.any(y), strides, before, after), "describe backward-weights");
                dnnl_primitive_desc bwd = dnnl.primitiveDesc(wd, fwd);

                List<Dnnl.Step> fill = new ArrayList<>();
                Dnnl.Array src = dnnl.new Array(Nd4j.rand(DataType.FLOAT, x));
                Map<Integer, Dnnl.Memory> fargs = new HashMap<>(Map.of(
                        DNNL_ARG_SRC, src.in(Dnnl.layout(fwd, dnnl_query_src_md), fill),
                        DNNL_ARG_WEIGHTS, dnnl.new Array(Nd4j.rand(DataType.FLOAT, w)).in(Dnnl.layout(fwd, dnnl_query_weights_md), fill),
                        DNNL_ARG_BIAS, dnnl.allocate(Dnnl.plain(l[1])),
                        DNNL_ARG_DST, dnnl.allocate(Dnnl.layout(fwd, dnnl_query_dst_md))));
                Map<Integer, Dnnl.Memory> wargs = new HashMap<>(Map.of(
                        DNNL_ARG_SRC, src.in(Dnnl.layout(bwd, dnnl_query_src_md), fill),
                        DNNL_ARG_DIFF_DST, dnnl.new Array(Nd4j.randn(DataType.FLOAT, y)).in(Dnnl.layout(bwd, dnnl_query_diff_dst_md), fill),
                        DNNL_ARG_DIFF_WEIGHTS, dnnl.allocate(Dnnl.layout(bwd, dnnl_query_diff_weights_md)),
                        DNNL_ARG_DIFF_BIAS, dnnl.allocate(Dnnl.plain(l[1]))));
                dnnl.run(fill);
                String name = String.format(Locale.ROOT, "%d->%d %dx%d k%d s%d %s", l[0], l[1], l[2], l[3], l[4], l[5], same ? "same" : "valid");
                compare(dnnl, "forward " + name, dnnl.step(fwd, fargs),
                        Dnnl.singleThreaded(() -> dnnl.step(Dnnl.singleThreaded(() -> dnnl.primitiveDesc(fd, null)), fargs)), runs);
                compare(dnnl, "backward-weights " + name, dnnl.step(bwd, wargs),
                        Dnnl.singleThreaded(() -> dnnl.step(Dnnl.singleThreaded(() -> dnnl.primitiveDesc(wd, fwd)), wargs)), runs);
            }
        }
    }

    private static void compare(Dnnl dnnl, String what, Dnnl.Step twoThreads, Dnnl.Step oneThread, int runs) {
        double[] two = new double[runs];
        double[] one = new double[runs];
        for (int i = -2; i < runs; i++) {
            long t0 = System.nanoTime();
            dnnl.run(List.of(twoThreads));
            long t1 = System.nanoTime();
            dnnl.run(List.of(oneThread));
            long t2 = System.nanoTime();
            if (i >= 0) {
                two[i] = (t1 - t0) / 1e6;
                one[i] = (t2 - t1) / 1e6;
            }
        }
        Arrays.sort(two);
        Arrays.sort(one);
        System.out.printf(Locale.ROOT, "%-42s 1 thread %7.3f ms  2 threads %7.3f ms  2t/1t %5.2f%n", what, one[runs / 2],
                two[runs / 2], two[runs / 2] / one[runs / 2]);
    }
}
