package kiln.engine.nn;

/** A primitive bound to the buffers of one plan: computes its output, and the gradients of its inputs and parameters. */
interface Kernel {

    void forward(boolean training);

    /** Reads the output gradient and writes the gradients asked for (those whose buffers are not null). */
    void backward(boolean training);

    /** A kernel of one native op forward and, unless it is null, one backward. */
    static Kernel of(NativeOp forward, NativeOp backward) {
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                forward.run();
            }

            @Override
            public void backward(boolean training) {
                if (backward != null) backward.run();
            }
        };
    }
}
