package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

/**
 * Batch normalisation over axis 1 of NCHW images or (n, features) vectors. Running statistics follow PyTorch:
 * running = momentum·running + (1 − momentum)·batch, with the unbiased batch variance.
 */
final class BatchNormalization extends Primitive {

    private final Param gamma;
    private final Param beta;
    private final Param runningMean;
    private final Param runningVar;
    private final double momentum;
    private final double epsilon;
    private final boolean alwaysInference;

    /** @param alwaysInference normalise by the running statistics and keep them, in training too (a frozen layer) */
    BatchNormalization(String layer, Tensor x, Param gamma, Param beta, Param runningMean, Param runningVar,
                       double momentum, double epsilon, boolean alwaysInference) {
        super(layer, List.of(x), List.of(gamma, beta, runningMean, runningVar));
        if (x.rank() != 1 && x.rank() != 3) throw new IllegalArgumentException(layer + ": BatchNorm takes images or vectors, not " + x);
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.alwaysInference = alwaysInference;
    }

    @Override
    Kernel bind(Binding b) {
        Kernel k = kernel(b);
        if (!alwaysInference) return k;
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                k.forward(false);
            }

            @Override
            public void backward(boolean training) {
                k.backward(false);
            }
        };
    }

    private Kernel kernel(Binding b) {
        if (Dnnl.enabled(b.dtype)) return new DnnlBatchNorm(b, gamma, beta, runningMean, runningVar, momentum, epsilon);
        INDArray x = b.in(0);
        long channels = inputs().get(0).dim(0);
        int[] reduce = x.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
        long count = x.length() / channels;
        INDArray mean = b.scratch(channels);
        INDArray var = b.scratch(channels);
        INDArray g = b.value(gamma);
        INDArray bt = b.value(beta);
        INDArray rm = b.value(runningMean);
        INDArray rv = b.value(runningVar);
        long[] normArgs = {1, 1, 1}; // scale, shift, channel axis 1
        NativeOp moments = b.op("moments", Binding.of(x), Binding.of(mean, var), java.util.Arrays.stream(reduce).asLongStream().toArray());
        NativeOp trainNorm = b.op("batchnorm", Binding.of(x, mean, var, g, bt), Binding.of(b.out()), normArgs, epsilon);
        NativeOp inferNorm = b.op("batchnorm", Binding.of(x, rm, rv, g, bt), Binding.of(b.out()), normArgs, epsilon);
        INDArray scale = b.scratch(channels);
        INDArray xHat = b.scratch(x.shape());
        INDArray work = b.scratch(x.shape());
        double unbias = unbias(count);
        return new Kernel() {
            @Override
            public void forward(boolean training) {
                if (!training) {
                    inferNorm.run();
                    return;
                }
                moments.run();
                trainNorm.run();
                updateRunning(rm, rv, mean, var, momentum, unbias);
            }

            @Override
            public void backward(boolean training) {
                INDArray dy = b.gradOut();
                if (!training) {
                    // The statistics are constants: the layer is a per-channel affine map.
                    if (b.needsGradIn(0)) {
                        inferenceBackward(dy, rv, g, epsilon, scale, b.gradIn(0));
                    }
                    return;
                }
                // x̂ = (x − mean)·s with s = 1/√(var + ε); dγ = Σ dy·x̂; dβ = Σ dy;
                // dx = γ·s/N · (N·dy − dβ − x̂·dγ), sums over every axis but the channel's.
                scale.assign(Transforms.sqrt(var.add(epsilon), false).rdivi(1));
                broadcast(new BroadcastSubOp(x, mean, xHat, 1));
                broadcast(new BroadcastMulOp(xHat, scale, xHat, 1));
                INDArray dGamma = work.assign(dy).muli(xHat).sum(reduce);
                INDArray dBeta = dy.sum(reduce);
                if (b.grad(gamma) != null) {
                    b.grad(gamma).assign(dGamma);
                    b.grad(beta).assign(dBeta);
                }
                if (!b.needsGradIn(0)) return;
                INDArray dx = b.gradIn(0);
                broadcast(new BroadcastMulOp(xHat, dGamma, work, 1));
                dx.assign(dy).muli(count).subi(work);
                broadcast(new BroadcastSubOp(dx, dBeta, dx, 1));
                broadcast(new BroadcastMulOp(dx, scale.muli(g).divi(count), dx, 1));
            }
        };
    }

    /** n / (n − 1): PyTorch keeps the unbiased variance of the batch's n values per channel. */
    static double unbias(long count) {
        return count > 1 ? (double) count / (count - 1) : 1;
    }

    /** running = momentum·running + (1 − momentum)·batch, the variance made unbiased. */
    static void updateRunning(INDArray runningMean, INDArray runningVar, INDArray mean, INDArray var,
                              double momentum, double unbias) {
        runningMean.muli(momentum).addi(mean.mul(1 - momentum));
        runningVar.muli(momentum).addi(var.mul((1 - momentum) * unbias));
    }

    /** Inference mode: the statistics are constants, so dx = dy · γ / √(running var + ε) per channel. */
    static void inferenceBackward(INDArray dy, INDArray runningVar, INDArray gamma, double epsilon, INDArray perChannel,
                                  INDArray dx) {
        perChannel.assign(Transforms.sqrt(runningVar.add(epsilon), false).rdivi(1).muli(gamma));
        broadcast(new BroadcastMulOp(dy, perChannel, dx, 1));
    }

    private static void broadcast(BroadcastOp op) {
        Nd4j.getExecutioner().exec(op);
    }
}
