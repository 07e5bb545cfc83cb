package kiln.engine.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every parameter of a network in three flat buffers: learned values, their gradients (same layout), and state.
 * Each parameter is a view into its buffer, so an optimizer updates everything in one pass. Learned parameters
 * that decay under L2 come first, so L2 applies to one leading range.
 */
public final class Parameters {

    /** Offsets are aligned to 16 values (64 bytes for floats), as vector units like. */
    private static final int ALIGN = 16;

    private final DataType dtype;
    private final List<Param> params;
    private final INDArray learned;
    private final INDArray gradients;
    private final INDArray state;
    private final long decayedLength;
    private final Map<Param, INDArray> valueViews = new HashMap<>();
    private final Map<Param, INDArray> gradientViews = new HashMap<>();
    private final Map<Param, Long> offsets = new HashMap<>();

    public Parameters(List<Param> params, DataType dtype) {
        this.dtype = dtype;
        this.params = List.copyOf(params);
        List<Param> decaying = params.stream().filter(p -> p.learned() && p.decays()).toList();
        List<Param> plain = params.stream().filter(p -> p.learned() && !p.decays()).toList();
        List<Param> stateful = params.stream().filter(p -> !p.learned()).toList();
        long decayEnd = length(decaying);
        long learnedLength = decayEnd + length(plain);
        this.decayedLength = decayEnd;
        this.learned = Nd4j.create(dtype, Math.max(learnedLength, 1));
        this.gradients = Nd4j.create(dtype, Math.max(learnedLength, 1));
        this.state = Nd4j.create(dtype, Math.max(length(stateful), 1));
        List<Param> learnedOrder = new ArrayList<>(decaying);
        learnedOrder.addAll(plain);
        long offset = 0;
        for (Param p : learnedOrder) {
            valueViews.put(p, view(learned, offset, p));
            gradientViews.put(p, view(gradients, offset, p));
            offsets.put(p, offset);
            offset = aligned(offset + p.size());
        }
        offset = 0;
        for (Param p : stateful) {
            valueViews.put(p, view(state, offset, p));
            offset = aligned(offset + p.size());
        }
    }

    private static long aligned(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static long length(List<Param> ps) {
        long n = 0;
        for (Param p : ps) n = aligned(n + p.size());
        return n;
    }

    private static INDArray view(INDArray flat, long offset, Param p) {
        return flat.get(NDArrayIndex.interval(offset, offset + p.size())).reshape('c', p.shape());
    }

    public DataType dtype() { return dtype; }

    public List<Param> params() { return params; }

    /** Fills every parameter from its initialiser, in declaration order, from one seed. */
    public void initialise(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Param p : params) {
            double[] v = new double[Math.toIntExact(p.size())];
            p.init().fill(v, random);
            set(p, v);
        }
    }

    public INDArray value(Param p) {
        INDArray v = valueViews.get(p);
        if (v == null) throw new IllegalArgumentException("no parameter " + p.name());
        return v;
    }

    /** The gradient view of a learned parameter; null for state. */
    public INDArray gradient(Param p) {
        return gradientViews.get(p);
    }

    public void set(Param p, double[] values) {
        if (values.length != p.size()) {
            throw new IllegalArgumentException(p.name() + " has " + p.size() + " values, not " + values.length);
        }
        value(p).assign(Nd4j.create(values, p.shape(), 'c').castTo(dtype));
    }

    /** One parameter's values, row-major. */
    public double[] get(Param p) {
        return value(p).dup('c').data().asDouble();
    }

    /** All learned values in one buffer (with alignment gaps, which stay zero). */
    public INDArray learnedBuffer() { return learned; }

    public INDArray gradientBuffer() { return gradients; }

    /** Values [0, decayedLength) of the learned buffer are weights that L2 shrinks. */
    public long decayedLength() { return decayedLength; }

    /** Where a learned parameter starts in the learned and gradient buffers. */
    public long offset(Param p) {
        Long o = offsets.get(p);
        if (o == null) throw new IllegalArgumentException(p.name() + " is not learned");
        return o;
    }

    /** Number of learned values, not counting alignment gaps. */
    public long learnedCount() {
        return params.stream().filter(Param::learned).mapToLong(Param::size).sum();
    }
}
