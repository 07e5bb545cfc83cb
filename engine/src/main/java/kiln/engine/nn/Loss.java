package kiln.engine.nn;


import java.util.List;

/**
 * The training objective: the batch mean of each sample's loss of the logits against the targets. Its forward
 * writes every sample's loss; its backward writes the logits' gradient straight from the fused formula, which is
 * exact and avoids the overflow of exp(large logit). Small (batch × units), so computed on the Java heap.
 */
final class Loss extends Primitive {

    private final LossKind kind;

    Loss(String layer, Tensor logits, Tensor target, LossKind kind) {
        super(layer, List.of(logits, target), List.of());
        this.kind = kind;
    }

    LossKind kind() { return kind; }

    @Override
    long[] outputShape() {
        return new long[] {1};
    }

    /** A kernel that also remembers the batch's mean loss. */
    final class LossKernel implements Kernel {
        private final Binding b;
        private double[] z;
        private double[] y;
        private double mean = Double.NaN;

        LossKernel(Binding b) {
            this.b = b;
        }

        double mean() { return mean; }

        @Override
        public void forward(boolean training) {
            z = Host.read(b.in(0));
            y = Host.read(b.in(1));
            int n = b.batch;
            int k = z.length / n;
            double[] perSample = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                perSample[i] = sampleLoss(i * k, k);
                sum += perSample[i];
            }
            mean = sum / n;
            Host.write(b.out(), perSample);
        }

        private double sampleLoss(int off, int k) {
            double loss = 0;
            switch (kind) {
                case SOFTMAX_CROSS_ENTROPY -> {
                    double logSumExp = logSumExp(off, k);
                    for (int j = 0; j < k; j++) loss += y[off + j] * (logSumExp - z[off + j]);
                }
                case SIGMOID_BINARY_CROSS_ENTROPY -> {
                    for (int j = 0; j < k; j++) {
                        double v = z[off + j];
                        loss += Math.max(v, 0) - v * y[off + j] + Math.log1p(Math.exp(-Math.abs(v)));
                    }
                    loss /= k;
                }
                case MEAN_SQUARED_ERROR -> {
                    for (int j = 0; j < k; j++) loss += (z[off + j] - y[off + j]) * (z[off + j] - y[off + j]);
                    loss /= k;
                }
                case MEAN_ABSOLUTE_ERROR -> {
                    for (int j = 0; j < k; j++) loss += Math.abs(z[off + j] - y[off + j]);
                    loss /= k;
                }
            }
            return loss;
        }

        private double logSumExp(int off, int k) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, z[off + j]);
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.exp(z[off + j] - max);
            return max + Math.log(s);
        }

        @Override
        public void backward(boolean training) {
            if (!b.needsGradIn(0)) return;
            int n = b.batch;
            int k = z.length / n;
            double[] dz = new double[z.length];
            for (int i = 0; i < n; i++) {
                int off = i * k;
                switch (kind) {
                    case SOFTMAX_CROSS_ENTROPY -> {
                        double logSumExp = logSumExp(off, k);
                        double targetMass = 0;
                        for (int j = 0; j < k; j++) targetMass += y[off + j];
                        for (int j = 0; j < k; j++) {
                            dz[off + j] = (Math.exp(z[off + j] - logSumExp) * targetMass - y[off + j]) / n;
                        }
                    }
                    case SIGMOID_BINARY_CROSS_ENTROPY -> {
                        for (int j = 0; j < k; j++) dz[off + j] = (1 / (1 + Math.exp(-z[off + j])) - y[off + j]) / ((double) n * k);
                    }
                    case MEAN_SQUARED_ERROR -> {
                        for (int j = 0; j < k; j++) dz[off + j] = 2 * (z[off + j] - y[off + j]) / ((double) n * k);
                    }
                    case MEAN_ABSOLUTE_ERROR -> { // PyTorch's subgradient: 0 where the error is exactly 0
                        for (int j = 0; j < k; j++) dz[off + j] = Math.signum(z[off + j] - y[off + j]) / ((double) n * k);
                    }
                }
            }
            Host.write(b.gradIn(0), dz);
        }
    }

    @Override
    Kernel bind(Binding b) {
        return new LossKernel(b);
    }

}
