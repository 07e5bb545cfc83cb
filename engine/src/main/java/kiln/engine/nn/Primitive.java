package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * One operation with its gradient, written once: a layer of the catalog composes these. It knows its output
 * shape when it is created; {@link #bind} makes a kernel over one plan's buffers.
 */
abstract class Primitive {

    private final String layer;
    private final List<Tensor> inputs;
    private final List<Param> params;
    private Tensor output;

    Primitive(String layer, List<Tensor> inputs, List<Param> params) {
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.params = List.copyOf(params);
    }

    /** The name of the layer this primitive belongs to, for messages. */
    final String layer() { return layer; }

    final List<Tensor> inputs() { return inputs; }

    final List<Param> params() { return params; }

    final Tensor output() { return output; }

    final void setOutput(Tensor t) { output = t; }

    /** Shape of one sample's output; element-wise primitives keep their first input's. */
    long[] outputShape() {
        return inputs().get(0).shape();
    }

    abstract Kernel bind(Binding b);

    /**
     * The output buffer when it can share the first input's memory (a reshape); null for a buffer of its own.
     */
    INDArray outputView(INDArray input, int batch) {
        return null;
    }
}
