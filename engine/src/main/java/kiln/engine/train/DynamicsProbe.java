package kiln.engine.train;

import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Param;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.nn.Tensor;
import kiln.engine.runs.LayerDynamics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Measures how each layer learns on one training batch: call {@link #beforeStep} after the backward pass and
 * {@link #afterStep} after the optimizer's step. Costs one copy of the weights and a pass over the batch's values,
 * which is why the trainer does it on one batch per epoch.
 */
final class DynamicsProbe {

    private final NetworkSpec spec;
    private final Parameters params;
    private final Map<String, List<Param>> layerParams = new LinkedHashMap<>();
    private final Map<String, Double> gradientNorms = new LinkedHashMap<>();
    private final Map<Param, INDArray> before = new LinkedHashMap<>();
    private final Map<String, double[]> activations = new LinkedHashMap<>();

    DynamicsProbe(NetworkSpec spec, Parameters params) {
        this.spec = spec;
        this.params = params;
        for (String layer : spec.layerOutputs().keySet()) {
            if (spec.layerOutputs().get(layer) == spec.input()) continue;
            layerParams.put(layer, spec.params().stream()
                    .filter(p -> p.learned() && p.name().startsWith(layer + ".")).toList());
        }
    }

    /** Reads gradients and activations of the batch just run backward, and keeps the weights before the step. */
    void beforeStep(Plan plan) {
        gradientNorms.clear();
        before.clear();
        activations.clear();
        layerParams.forEach((layer, ps) -> {
            double sq = 0;
            for (Param p : ps) {
                INDArray g = params.gradient(p);
                double n = g.norm2Number().doubleValue();
                sq += n * n;
                before.put(p, params.value(p).dup());
            }
            gradientNorms.put(layer, Math.sqrt(sq));
            INDArray v = plan.value(spec.layerOutputs().get(layer));
            if (v != null) activations.put(layer, activationStatistics(v, spec.layerOutputs().get(layer)));
        });
    }

    /** One row per layer (the input excepted), for this epoch. */
    List<LayerDynamics> afterStep(int epoch) {
        List<LayerDynamics> rows = new ArrayList<>();
        layerParams.forEach((layer, ps) -> {
            double weightSq = 0;
            double beforeSq = 0;
            double stepSq = 0;
            long count = 0;
            for (Param p : ps) {
                INDArray now = params.value(p);
                INDArray was = before.get(p);
                double w = now.norm2Number().doubleValue();
                double b = was.norm2Number().doubleValue();
                double s = now.sub(was).norm2Number().doubleValue();
                weightSq += w * w;
                beforeSq += b * b;
                stepSq += s * s;
                count += p.size();
            }
            double[] a = activations.getOrDefault(layer, new double[] {Double.NaN, Double.NaN, Double.NaN});
            double ratio = beforeSq == 0 ? 0 : Math.sqrt(stepSq / beforeSq);
            rows.add(new LayerDynamics(epoch, layer, count, Math.sqrt(weightSq), gradientNorms.get(layer), ratio,
                    a[2], a[0], a[1]));
        });
        before.clear();
        return rows;
    }

    /** Mean, standard deviation and the share of units that are 0 for every sample. */
    static double[] activationStatistics(INDArray batch, Tensor t) {
        double mean = batch.meanNumber().doubleValue();
        double std = batch.stdNumber().doubleValue();
        // Units are a vector's features, an image's channels and a sequence's features (shape steps × features).
        int unitAxis = t.rank() == 2 ? 2 : 1;
        int[] others = IntStream.range(0, batch.rank()).filter(d -> d != unitAxis).toArray();
        INDArray peak = batch.amax(others);
        long units = peak.length();
        long dead = units - peak.neq(0).castTo(DataType.INT64).sumNumber().longValue();
        return new double[] {mean, std, units == 0 ? 0 : (double) dead / units};
    }
}
