package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network with its parameters, for inference: predictions, logits, every layer's output, and gradients with
 * respect to the input (in inference mode, as predictions are made). Plans are made once per batch size and kept.
 * Calls run one at a time.
 */
public final class Network implements AutoCloseable {

    /** Plans kept per mode; evaluation uses two batch sizes (full batches and the remainder). */
    private static final int KEPT_PLANS = 4;

    private final NetworkSpec spec;
    private final Parameters params;
    private final Map<Integer, Plan> inference = new LinkedHashMap<>();
    private final Map<Integer, Plan> explain = new LinkedHashMap<>();

    public Network(NetworkSpec spec, Parameters params) {
        this.spec = spec;
        this.params = params;
    }

    public NetworkSpec spec() { return spec; }

    public Parameters parameters() { return params; }

    private Plan plan(Map<Integer, Plan> cache, int n, Plan.Mode mode) {
        Plan p = cache.get(n);
        if (p != null) return p;
        if (cache.size() >= KEPT_PLANS) {
            Integer oldest = cache.keySet().iterator().next();
            cache.remove(oldest).close();
        }
        p = new Plan(spec, params, n, mode, 0);
        cache.put(n, p);
        return p;
    }

    private Plan run(float[] samples, int n) {
        Plan p = plan(inference, n, Plan.Mode.INFER);
        Host.write(p.input(), samples, 0);
        p.forward();
        return p;
    }

    /** The prediction (probabilities, or values for regression) of n samples laid out one after another. */
    public synchronized float[] predict(float[] samples, int n) {
        return Host.readFloats(run(samples, n).value(spec.output()));
    }

    /** The Output layer's scores before its activation. */
    public synchronized float[] logits(float[] samples, int n) {
        return Host.readFloats(run(samples, n).value(spec.logits()));
    }

    /** What every layer of the graph produces for these samples, by layer name. */
    public synchronized Map<String, float[]> layerOutputs(float[] samples, int n) {
        return forward(samples, n).layers();
    }

    /** Every layer's output and the prediction, from one forward pass. */
    public record Forward(Map<String, float[]> layers, float[] prediction) { }

    /** What every layer produces and what the network predicts for these samples, in one forward pass. */
    public synchronized Forward forward(float[] samples, int n) {
        Plan p = run(samples, n);
        Map<String, float[]> out = new LinkedHashMap<>();
        spec.layerOutputs().forEach((name, t) -> {
            INDArray v = p.value(t);
            if (v != null) out.put(name, Host.readFloats(v));
        });
        return new Forward(out, Host.readFloats(p.value(spec.output())));
    }

    /** The gradient of Σ seed·logits with respect to the input, in inference mode (saliency, attribution). */
    public synchronized float[] inputGradient(float[] samples, int n, float[] logitSeed) {
        Plan p = plan(explain, n, Plan.Mode.EXPLAIN);
        Host.write(p.input(), samples, 0);
        p.forward();
        Host.write(p.gradient(spec.logits()), logitSeed, 0);
        p.backward();
        return Host.readFloats(p.gradient(spec.input()));
    }

    /** What every layer produces for some samples, and the gradient of Σ seed·logits at each layer's output and at the input. */
    public record Explanation(Map<String, float[]> outputs, Map<String, float[]> gradients, float[] inputGradient) { }

    /**
     * Every layer's output and its gradient of Σ seed·logits, in inference mode: what Grad-CAM weighs feature maps
     * with. Layers the logits do not depend on have no gradient.
     */
    public synchronized Explanation explain(float[] samples, int n, float[] logitSeed) {
        Plan p = plan(explain, n, Plan.Mode.EXPLAIN);
        Host.write(p.input(), samples, 0);
        p.forward();
        Host.write(p.gradient(spec.logits()), logitSeed, 0);
        p.backward();
        Map<String, float[]> outputs = new LinkedHashMap<>();
        Map<String, float[]> gradients = new LinkedHashMap<>();
        spec.layerOutputs().forEach((name, t) -> {
            INDArray v = p.value(t);
            if (v != null) outputs.put(name, Host.readFloats(v));
            INDArray g = p.gradient(t);
            if (g != null) gradients.put(name, Host.readFloats(g));
        });
        return new Explanation(outputs, gradients, Host.readFloats(p.gradient(spec.input())));
    }

    @Override
    public synchronized void close() {
        inference.values().forEach(Plan::close);
        explain.values().forEach(Plan::close);
        inference.clear();
        explain.clear();
    }
}
