package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * A one-layer LSTM over (n, T, F) inputs, gates in PyTorch's order (input, forget, cell, output), zero initial
 * state: z = x·W_ihᵀ + h·W_hhᵀ + b; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c'). Time runs in the outer
 * axis of its buffers, so each step's slice is contiguous.
 */
final class Lstm extends Primitive {

    private final Param weightIh;
    private final Param weightHh;
    private final Param bias;
    private final boolean returnSequences;
    private final int units;

    Lstm(String layer, Tensor x, Param weightIh, Param weightHh, Param bias, boolean returnSequences) {
        super(layer, List.of(x), List.of(weightIh, weightHh, bias));
        if (x.rank() != 2 || weightIh.shape()[1] != x.dim(1)) {
            throw new IllegalArgumentException(layer + ": an LSTM with " + weightIh + " cannot take " + x);
        }
        this.weightIh = weightIh;
        this.weightHh = weightHh;
        this.bias = bias;
        this.returnSequences = returnSequences;
        this.units = (int) weightHh.shape()[1];
    }

    @Override
    long[] outputShape() {
        long steps = inputs().get(0).dim(0);
        return returnSequences ? new long[] {steps, units} : new long[] {units};
    }

    @Override
    Kernel bind(Binding b) {
        return new LstmKernel(b);
    }

    private final class LstmKernel implements Kernel {
        private final Binding b;
        private final int n;
        private final int steps;
        private final INDArray xT;        // (T, n, F)
        private final INDArray gates;     // (T, n, 4u), activated gates after forward
        private final INDArray h;         // (T + 1, n, u); h[0] = 0
        private final INDArray c;         // (T + 1, n, u); c[0] = 0
        private final INDArray tanhC;     // (T, n, u)
        private final INDArray dGates;    // (T, n, 4u)
        private final INDArray dh;
        private final INDArray dc;
        private final INDArray dhNext;
        private final INDArray dcNext;
        private final INDArray tmp;
        private final INDArray[][] gate = new INDArray[4][];
        private final INDArray[][] dGate = new INDArray[4][];

        LstmKernel(Binding b) {
            this.b = b;
            INDArray x = b.in(0);
            n = b.batch;
            steps = (int) x.size(1);
            long features = x.size(2);
            xT = b.scratch(steps, n, features);
            gates = b.scratch(steps, n, 4L * units);
            h = b.scratch(steps + 1L, n, units);
            c = b.scratch(steps + 1L, n, units);
            tanhC = b.scratch(steps, n, units);
            dGates = b.scratch(steps, n, 4L * units);
            dh = b.scratch(n, units);
            dc = b.scratch(n, units);
            dhNext = b.scratch(n, units);
            dcNext = b.scratch(n, units);
            tmp = b.scratch(n, units);
            for (int k = 0; k < 4; k++) {
                gate[k] = new INDArray[steps];
                dGate[k] = new INDArray[steps];
                for (int t = 0; t < steps; t++) {
                    gate[k][t] = gates.get(point(t), all(), interval((long) k * units, (long) (k + 1) * units));
                    dGate[k][t] = dGates.get(point(t), all(), interval((long) k * units, (long) (k + 1) * units));
                }
            }
        }

        private INDArray at(INDArray a, int t) {
            return a.get(point(t), all(), all());
        }

        private INDArray flat(INDArray a) {
            return a.reshape('c', new long[] {a.size(0) * a.size(1), a.size(2)});
        }

        @Override
        public void forward(boolean training) {
            INDArray wIh = b.value(weightIh);
            INDArray wHh = b.value(weightHh);
            xT.assign(b.in(0).permute(1, 0, 2));
            INDArray z = flat(gates);
            Nd4j.gemm(flat(xT), wIh, z, false, true, 1.0, 0.0);
            z.addiRowVector(b.value(bias));
            for (int t = 0; t < steps; t++) {
                Nd4j.gemm(at(h, t), wHh, at(gates, t), false, true, 1.0, 1.0);
                Transforms.sigmoid(gate[0][t], false);
                Transforms.sigmoid(gate[1][t], false);
                Transforms.tanh(gate[2][t], false);
                Transforms.sigmoid(gate[3][t], false);
                INDArray cNext = at(c, t + 1);
                cNext.assign(gate[1][t]).muli(at(c, t));
                tmp.assign(gate[0][t]).muli(gate[2][t]);
                cNext.addi(tmp);
                INDArray tc = at(tanhC, t);
                tc.assign(cNext);
                Transforms.tanh(tc, false);
                at(h, t + 1).assign(gate[3][t]).muli(tc);
            }
            if (returnSequences) b.out().assign(h.get(interval(1, steps + 1), all(), all()).permute(1, 0, 2));
            else b.out().assign(at(h, steps));
        }

        @Override
        public void backward(boolean training) {
            INDArray dy = b.gradOut();
            dhNext.assign(0);
            dcNext.assign(0);
            for (int t = steps - 1; t >= 0; t--) {
                INDArray i = gate[0][t];
                INDArray f = gate[1][t];
                INDArray g = gate[2][t];
                INDArray o = gate[3][t];
                INDArray tc = at(tanhC, t);
                dh.assign(dhNext);
                if (returnSequences) dh.addi(dy.get(all(), point(t), all()));
                else if (t == steps - 1) dh.addi(dy);
                // output gate: dh·tanh(c)·σ'(o)
                tmp.assign(o).rsubi(1).muli(o);
                dGate[3][t].assign(dh).muli(tc).muli(tmp);
                // cell: carried gradient plus dh·o·(1 − tanh²(c))
                dc.assign(tc).muli(tc).rsubi(1).muli(o).muli(dh).addi(dcNext);
                tmp.assign(i).rsubi(1).muli(i);
                dGate[0][t].assign(dc).muli(g).muli(tmp);
                tmp.assign(f).rsubi(1).muli(f);
                dGate[1][t].assign(dc).muli(at(c, t)).muli(tmp);
                tmp.assign(g).muli(g).rsubi(1);
                dGate[2][t].assign(dc).muli(i).muli(tmp);
                dcNext.assign(dc).muli(f);
                Nd4j.gemm(at(dGates, t), b.value(weightHh), dhNext, false, false, 1.0, 0.0);
            }
            INDArray dz = flat(dGates);
            if (b.grad(weightIh) != null) Nd4j.gemm(dz, flat(xT), b.grad(weightIh), true, false, 1.0, 0.0);
            if (b.grad(weightHh) != null) {
                Nd4j.gemm(dz, flat(h.get(interval(0, steps), all(), all()).dup('c')), b.grad(weightHh), true, false, 1.0, 0.0);
            }
            if (b.grad(bias) != null) b.grad(bias).assign(dz.sum(0));
            if (b.needsGradIn(0)) {
                INDArray dxT = Nd4j.gemm(dz, b.value(weightIh), false, false);
                b.gradIn(0).assign(dxT.reshape('c', new long[] {steps, n, xT.size(2)}).permute(1, 0, 2));
            }
        }
    }

}
