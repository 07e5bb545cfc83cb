package kiln.engine.nn;

import java.util.Arrays;

/**
 * A tensor of a network that persists between batches: a learned weight, or state such as BatchNorm's running
 * statistics. Named as in a PyTorch state_dict ("conv1.weight", "bn1.running_mean").
 *
 * @param learned whether gradient descent updates it (state is updated by its layer in training mode instead)
 * @param decays  whether L2 regularisation applies (weights yes; biases and normalisation parameters no)
 */
public record Param(String name, long[] shape, Init init, boolean learned, boolean decays) {

    public Param {
        shape = shape.clone();
    }

    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Param p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
