package kiln.engine.catalog;

import kiln.engine.nn.Init;
import kiln.engine.nn.LayerBuilder;
import kiln.engine.nn.Param;
import kiln.engine.nn.Tensor;

import java.util.List;
import java.util.Optional;

/**
 * LoRA adapters of a Dense layer (Hu et al. 2021, as Hugging Face PEFT makes them): the weights W and bias stay
 * frozen and the layer learns W + (alpha / rank)·B·A instead, with A (rank, n) random and B (units, rank) zero at
 * first, so training starts from the pre-trained layer exactly. Exports merge the adapters into W.
 */
public final class LowRankAdapters {

    public static final String RANK = "loraRank";
    public static final String ALPHA = "loraAlpha";

    private LowRankAdapters() { }

    public static int rank(Params p) {
        return p.getInt(RANK);
    }

    static double scale(Params p) {
        return p.getDouble(ALPHA) / rank(p);
    }

    /** A rank above min(inputs, units) would not be low-rank: it could not add anything a rank of that size cannot. */
    static Optional<String> check(long inputs, Params p) {
        int rank = rank(p);
        long most = Math.min(inputs, p.getInt("units"));
        if (rank <= most) return Optional.empty();
        return Optional.of("LoRA rank " + rank + " is larger than the layer (" + inputs + " inputs, " + p.getInt("units")
                + " units); use a rank of at most " + most + ", or 0 to train the weights themselves");
    }

    static long paramCount(long inputs, Params p) {
        return (long) rank(p) * (inputs + p.getInt("units"));
    }

    /** The frozen linear layer plus its adapters' (x·Aᵀ·Bᵀ)·alpha/rank. */
    static Tensor build(LayerBuilder b, Tensor x, long inputs, Params p, Init init) {
        int units = p.getInt("units");
        int rank = rank(p);
        Param weight = b.fixed("weight", init, units, inputs);
        Param bias = b.fixed("bias", Init.zeros(), units);
        // PEFT's default: A as nn.Linear initialises its weight (kaiming_uniform with a = √5, so ±1/√n), B zero.
        Param a = b.weight("lora_A", Init.uniform(1 / Math.sqrt(inputs)), rank, inputs);
        Param bUp = b.weight("lora_B", Init.zeros(), units, rank);
        Tensor base = b.linear(x, weight, bias);
        return b.add(List.of(base, b.lowRank(x, a, bUp, scale(p))));
    }

    /** W + (alpha / rank)·B·A, the one weight matrix that computes what the layer with its adapters does. */
    public static float[] mergedWeight(LayerWeights w, long inputs, Params p) {
        float[] weight = w.values("weight");
        if (rank(p) == 0) return weight;
        int n = Math.toIntExact(inputs);
        int units = p.getInt("units");
        int rank = rank(p);
        float[] a = w.values("lora_A");
        float[] bUp = w.values("lora_B");
        double s = scale(p);
        float[] merged = new float[weight.length];
        for (int o = 0; o < units; o++) {
            for (int i = 0; i < n; i++) {
                double delta = 0;
                for (int r = 0; r < rank; r++) delta += (double) bUp[o * rank + r] * a[r * n + i];
                merged[o * n + i] = (float) (weight[o * n + i] + s * delta);
            }
        }
        return merged;
    }
}
