package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Binds one primitive of a plan's network again over the plan's own buffers, to inspect or time a kernel alone. */
final class Rebind {

    private Rebind() { }

    /** The kernel's native objects are freed with the plan. */
    static Kernel kernel(Plan plan, Parameters params, Primitive p) {
        return p.bind(binding(plan, params, p));
    }

    static Binding binding(Plan plan, Parameters params, Primitive p) {
        INDArray[] inputs = p.inputs().stream().map(plan::value).toArray(INDArray[]::new);
        INDArray[] inputGradients = p.inputs().stream().map(plan::gradient).toArray(INDArray[]::new);
        INDArray[] values = p.params().stream().map(params::value).toArray(INDArray[]::new);
        INDArray[] gradients = p.params().stream().map(params::gradient).toArray(INDArray[]::new);
        return new Binding(plan, plan.batchSize(), params.dtype(), inputs, plan.value(p.output()), inputGradients,
                plan.gradient(p.output()), p.params(), values, gradients);
    }

    /** Binds with oneDNN on or off. */
    static Kernel kernel(Plan plan, Parameters params, Primitive p, boolean dnnl) {
        String old = System.getProperty(Dnnl.PROPERTY);
        System.setProperty(Dnnl.PROPERTY, Boolean.toString(dnnl));
        try {
            return kernel(plan, params, p);
        } finally {
            if (old == null) System.clearProperty(Dnnl.PROPERTY);
            else System.setProperty(Dnnl.PROPERTY, old);
        }
    }
}
