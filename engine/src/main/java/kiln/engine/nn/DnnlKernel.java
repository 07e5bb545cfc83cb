package kiln.engine.nn;

import java.util.ArrayList;
import java.util.List;

/** A kernel made of oneDNN primitives (and reorders) that its constructor lines up, forward and backward. */
abstract class DnnlKernel implements Kernel {

    final Dnnl dnnl;
    final List<Dnnl.Step> forward = new ArrayList<>();
    final List<Dnnl.Step> backward = new ArrayList<>();

    DnnlKernel(Binding b) {
        dnnl = b.register(new Dnnl());
    }

    @Override
    public void forward(boolean training) {
        dnnl.run(forward);
    }

    @Override
    public void backward(boolean training) {
        dnnl.run(backward);
    }

    /** Which oneDNN implementation each primitive and reorder uses, in the order they were made. */
    List<String> implementations() {
        return dnnl.implementations();
    }
}
