package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Map;

/** Export rules shared by several layers: dense weights, window padding. */
public final class Export {

    private Export() { }

    /**
     * Gemm of a fully connected layer: the engine keeps W as (nOut, nIn), as nn.Linear does, so Gemm transposes it.
     * @param weightValues W, with any LoRA adapters merged in
     */
    static String onnxDense(OnnxGraph g, int nIn, int nOut, float[] weightValues) {
        LayerWeights w = g.weights();
        String weight = g.floats("weight", weightValues, nOut, nIn);
        String bias = g.floats("bias", w.values("bias"), nOut);
        return g.node("Gemm", List.of(g.inputs().get(0), weight, bias), Map.of("transB", 1));
    }

    static void torchDense(TorchModule m, int nIn, int nOut, float[] weightValues) {
        m.module("nn.Linear(" + nIn + ", " + nOut + ")");
        m.tensor("weight", weightValues, nOut, nIn);
        m.tensor("bias", m.weights().values("bias"), nOut);
    }

    /**
     * Zero padding before and after along one axis for 'same' windows, as the engine pads:
     * the odd pixel goes to the bottom or right.
     */
    static int[] samePads(int input, int kernel, int stride) {
        int out = (input + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - input, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /** ONNX pads [top, left, bottom, right] for a window layer. */
    public static int[] onnxPads(TensorShape in, int kernel, int stride, String padding) {
        if (!"same".equals(padding)) return new int[] {0, 0, 0, 0};
        int[] h = samePads(in.height(), kernel, stride);
        int[] w = samePads(in.width(), kernel, stride);
        return new int[] {h[0], w[0], h[1], w[1]};
    }

    /** F.pad's order (left, right, top, bottom) from ONNX pads. */
    static String torchPadArgs(int[] onnxPads) {
        return "(" + onnxPads[1] + ", " + onnxPads[3] + ", " + onnxPads[0] + ", " + onnxPads[2] + ")";
    }

    /** Whether PyTorch's own (symmetric) padding argument can express the pads. */
    static boolean symmetric(int[] onnxPads) {
        return onnxPads[0] == onnxPads[2] && onnxPads[1] == onnxPads[3];
    }
}
