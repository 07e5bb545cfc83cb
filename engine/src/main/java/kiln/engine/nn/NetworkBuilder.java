package kiln.engine.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the primitives and parameters of a network, layer by layer, into a {@link NetworkSpec}. */
public final class NetworkBuilder {

    private final List<Primitive> primitives = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final Set<String> paramNames = new HashSet<>();
    private final Map<String, Double> rateMultipliers = new LinkedHashMap<>();
    private final Map<String, Tensor> layerOutputs = new LinkedHashMap<>();
    private int nextId;
    private Tensor input;
    private Tensor target;
    private Tensor logits;
    private Tensor output;
    private Tensor loss;
    private LossKind lossKind;

    /** The builder one layer uses; its parameters are named "{layer}.{suffix}". */
    public LayerBuilder layer(String name) {
        return layer(name, LayerTraining.DEFAULT);
    }

    /** The builder of a layer that is frozen or learns at a multiple of the learning rate. */
    public LayerBuilder layer(String name, LayerTraining training) {
        return new LayerBuilder(this, name, training);
    }

    /** Records what a layer of the project's graph produced, for activations and look-inside views. */
    public void layerOutput(String layer, Tensor t) {
        layerOutputs.put(layer, t);
    }

    public NetworkSpec build() {
        if (input == null) throw new IllegalStateException("the network has no input");
        if (loss == null) throw new IllegalStateException("the network has no output layer with a loss");
        return new NetworkSpec(primitives, input, target, logits, output, loss, lossKind, params, layerOutputs, rateMultipliers);
    }

    Tensor add(Primitive p) {
        Tensor t = new Tensor(nextId++, p.outputShape(), p);
        p.setOutput(t);
        primitives.add(p);
        return t;
    }

    Tensor networkInput(long[] shape) {
        if (input != null) throw new IllegalStateException("a network has one input");
        input = new Tensor(nextId++, shape, null);
        return input;
    }

    Param param(Param p, double rateMultiplier) {
        if (!paramNames.add(p.name())) throw new IllegalStateException("two parameters are named " + p.name());
        params.add(p);
        if (p.learned() && rateMultiplier != 1) rateMultipliers.put(p.name(), rateMultiplier);
        return p;
    }

    Tensor output(String layer, Tensor logits, Tensor prediction, LossKind kind) {
        if (loss != null) throw new IllegalStateException("a network has one output layer");
        this.logits = logits;
        this.output = prediction;
        this.lossKind = kind;
        this.target = new Tensor(nextId++, logits.shape(), null);
        this.loss = add(new Loss(layer, logits, target, kind));
        return prediction;
    }
}
