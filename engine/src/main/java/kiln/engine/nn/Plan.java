package kiln.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network made executable for one batch size: every value and gradient has its buffer and every primitive its
 * kernel, made once, so a step allocates nothing of size. Work nobody needs is left out: an inference plan
 * computes no gradients, a training plan no input gradient and no prediction. Not thread-safe.
 */
public final class Plan implements AutoCloseable {

    public enum Mode {
        /** Training mode forward to the loss, gradients of every learned parameter. */
        TRAIN,
        /** Inference mode forward to the prediction. */
        INFER,
        /** Inference mode forward, and gradients from the logits back to the input (saliency, Grad-CAM). */
        EXPLAIN
    }

    /** Frees the native resources of a plan nobody closed (a model the app let go of) once it is unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final NetworkSpec spec;
    private final int batch;
    private final Mode mode;
    private final Map<Tensor, INDArray> values = new HashMap<>();
    private final Map<Tensor, INDArray> gradients = new HashMap<>();
    private final List<Primitive> primitives = new ArrayList<>();
    private final List<Kernel> forward = new ArrayList<>();
    private final List<Runnable> backward = new ArrayList<>();
    private final List<NativeResource> resources = new ArrayList<>();
    private final Cleaner.Cleanable cleanable = CLEANER.register(this, new Release(resources));
    private final Random random;
    private Loss.LossKernel loss;

    public Plan(NetworkSpec spec, Parameters params, int batch, Mode mode, long seed) {
        this(spec, params, batch, mode, seed, mode == Mode.EXPLAIN);
    }

    /**
     * @param inputGradient also compute the gradient of the input (always so when explaining)
     */
    public Plan(NetworkSpec spec, Parameters params, int batch, Mode mode, long seed, boolean inputGradient) {
        if (batch < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batch);
        this.spec = spec;
        this.batch = batch;
        this.mode = mode;
        this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);

        List<Primitive> run = mode == Mode.TRAIN ? ancestors(spec.loss())
                : spec.primitives().stream().filter(p -> !(p instanceof Loss)).toList();
        values.put(spec.input(), Nd4j.create(params.dtype(), spec.input().batched(batch)));
        if (mode == Mode.INFER && inputGradient) throw new IllegalArgumentException("an inference plan computes no gradients");
        if (mode == Mode.TRAIN) values.put(spec.target(), Nd4j.create(params.dtype(), spec.target().batched(batch)));
        for (Primitive p : run) {
            INDArray view = p.outputView(values.get(p.inputs().get(0)), batch);
            values.put(p.output(), view != null ? view : Nd4j.create(params.dtype(), p.output().batched(batch)));
        }

        Tensor root = mode == Mode.TRAIN ? spec.loss() : mode == Mode.EXPLAIN ? spec.logits() : null;
        Set<Tensor> needGradient = root == null ? Set.of() : needingGradient(run, root, inputGradient);
        Set<Primitive> differentiated = new HashSet<>();
        for (Primitive p : run) if (p.output() == root || needGradient.contains(p.output())) differentiated.add(p);
        for (Tensor t : needGradient) if (t != spec.loss()) gradients.put(t, Nd4j.create(params.dtype(), t.batched(batch)));
        // A reshape's input gradient is its output gradient reshaped: share the memory instead of copying.
        for (Primitive p : run) {
            Tensor in = p.inputs().get(0);
            if (p.outputView(values.get(in), batch) != null && gradients.containsKey(in) && gradients.containsKey(p.output())
                    && readers(run, differentiated, in) == 1) {
                gradients.put(in, gradients.get(p.output()).reshape('c', in.batched(batch)));
            }
        }

        // A value read by several primitives gets one gradient buffer per reader, summed before its producer's backward.
        Map<Primitive, INDArray[]> inputGradients = new HashMap<>();
        Map<Tensor, List<INDArray>> partials = new HashMap<>();
        for (Primitive p : run) {
            INDArray[] slots = new INDArray[p.inputs().size()];
            if (differentiated.contains(p)) {
                for (int i = 0; i < slots.length; i++) {
                    Tensor in = p.inputs().get(i);
                    if (!needGradient.contains(in)) continue;
                    slots[i] = readers(run, differentiated, in) == 1 ? gradients.get(in)
                            : Nd4j.create(params.dtype(), in.batched(batch));
                    partials.computeIfAbsent(in, k -> new ArrayList<>()).add(slots[i]);
                }
            }
            inputGradients.put(p, slots);
        }

        Set<Param> seen = new HashSet<>();
        List<Kernel> kernels = new ArrayList<>();
        for (Primitive p : run) {
            boolean diff = differentiated.contains(p);
            INDArray[] ins = p.inputs().stream().map(values::get).toArray(INDArray[]::new);
            INDArray[] paramValues = new INDArray[p.params().size()];
            INDArray[] paramGradients = new INDArray[p.params().size()];
            for (int i = 0; i < paramValues.length; i++) {
                Param param = p.params().get(i);
                if (param.learned() && !seen.add(param)) {
                    throw new IllegalStateException(param.name() + " is used by two primitives; weight sharing is not supported");
                }
                paramValues[i] = params.value(param);
                paramGradients[i] = mode == Mode.TRAIN && diff && param.learned() ? params.gradient(param) : null;
            }
            Binding binding = new Binding(this, batch, params.dtype(), ins, values.get(p.output()), inputGradients.get(p),
                    diff ? gradients.get(p.output()) : null, p.params(), paramValues, paramGradients);
            Kernel k = p.bind(binding);
            if (k instanceof Loss.LossKernel lk) loss = lk;
            kernels.add(k);
        }
        forward.addAll(kernels);
        primitives.addAll(run);
        for (int i = run.size() - 1; i >= 0; i--) {
            Primitive p = run.get(i);
            if (!differentiated.contains(p)) continue;
            addSum(p.output(), partials);
            Kernel k = kernels.get(i);
            backward.add(() -> k.backward(mode == Mode.TRAIN));
        }
        addSum(spec.input(), partials);
    }

    private void addSum(Tensor t, Map<Tensor, List<INDArray>> partials) {
        List<INDArray> parts = partials.get(t);
        if (parts == null || parts.size() < 2) return;
        INDArray total = gradients.get(t);
        backward.add(() -> {
            total.assign(parts.get(0));
            for (int j = 1; j < parts.size(); j++) total.addi(parts.get(j));
        });
    }

    private static int readers(List<Primitive> run, Set<Primitive> differentiated, Tensor t) {
        int n = 0;
        for (Primitive p : run) {
            if (differentiated.contains(p)) for (Tensor in : p.inputs()) if (in == t) n++;
        }
        return n;
    }

    /** The primitives the value depends on, in order. */
    private List<Primitive> ancestors(Tensor t) {
        Set<Primitive> needed = new HashSet<>();
        List<Tensor> todo = new ArrayList<>(List.of(t));
        while (!todo.isEmpty()) {
            Tensor v = todo.remove(todo.size() - 1);
            if (v.producer() != null && needed.add(v.producer())) todo.addAll(v.producer().inputs());
        }
        return spec.primitives().stream().filter(needed::contains).toList();
    }

    /**
     * Values on a path to the root that depend on something differentiated: a learned parameter (training) or
     * the input (explaining).
     */
    private Set<Tensor> needingGradient(List<Primitive> run, Tensor root, boolean inputGradient) {
        Set<Tensor> depends = new HashSet<>();
        if (inputGradient) depends.add(spec.input());
        for (Primitive p : run) {
            boolean d = p.params().stream().anyMatch(q -> q.learned() && mode == Mode.TRAIN)
                    || p.inputs().stream().anyMatch(depends::contains);
            if (d) depends.add(p.output());
        }
        Set<Tensor> onPath = new HashSet<>();
        List<Tensor> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Tensor v = todo.remove(todo.size() - 1);
            if (onPath.add(v) && v.producer() != null) todo.addAll(v.producer().inputs());
        }
        onPath.retainAll(depends);
        return onPath;
    }

    <T extends NativeResource> T register(T resource) {
        resources.add(resource);
        return resource;
    }

    Random random() { return random; }

    public NetworkSpec spec() { return spec; }

    public int batchSize() { return batch; }

    public Mode mode() { return mode; }

    /** The input buffer, (batch, sample shape...), to fill before {@link #forward}. */
    public INDArray input() { return values.get(spec.input()); }

    /** Fills the input with batchSize samples laid out one after another (extra values are ignored). */
    public void setInput(float[] samples) {
        Host.write(input(), samples, 0);
    }

    /** Fills the targets of a training plan, batchSize rows of the output's units. */
    public void setTarget(float[] rows) {
        Host.write(target(), rows, 0);
    }

    /** The targets buffer of a training plan, (batch, units). */
    public INDArray target() {
        if (mode != Mode.TRAIN) throw new IllegalStateException("only a training plan has targets");
        return values.get(spec.target());
    }

    /** A value after {@link #forward}; null when this plan does not compute it. */
    public INDArray value(Tensor t) { return values.get(t); }

    /** A gradient after {@link #backward}; null when this plan does not compute it. */
    public INDArray gradient(Tensor t) { return gradients.get(t); }

    /** Sets the dropout generator's seed, so that a batch's masks repeat. */
    public void reseed(long seed) {
        random.setSeed(seed);
    }

    public void forward() {
        boolean training = mode == Mode.TRAIN;
        for (Kernel k : forward) k.forward(training);
        Reference.reachabilityFence(this); // the cleaner must not free the kernels' resources while they run
    }

    /**
     * Training: gradients of every learned parameter from the mean loss. Explaining: gradients back from the
     * logits' gradient, which the caller sets first.
     */
    public void backward() {
        if (mode == Mode.INFER) throw new IllegalStateException("an inference plan has no backward pass");
        for (Runnable r : backward) r.run();
        Reference.reachabilityFence(this);
    }

    /** The mean loss of the last forward pass of a training plan. */
    public double loss() {
        if (loss == null) throw new IllegalStateException("only a training plan computes the loss");
        return loss.mean();
    }

    /** Time one primitive took per step, forward and backward, in milliseconds. */
    public record StepTime(String layer, String primitive, double forwardMs, double backwardMs) { }

    /**
     * Runs {@code steps} forward (and, when the plan has one, backward) passes, timing each primitive; for
     * finding where a step's time goes. The buffers must be filled first.
     */
    public List<StepTime> profile(int steps) {
        boolean training = mode == Mode.TRAIN;
        long[] fwd = new long[forward.size()];
        long[] bwd = new long[forward.size()];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < forward.size(); i++) {
                long t = System.nanoTime();
                forward.get(i).forward(training);
                fwd[i] += System.nanoTime() - t;
            }
            if (mode == Mode.INFER) continue;
            for (int i = forward.size() - 1; i >= 0; i--) {
                long t = System.nanoTime();
                forward.get(i).backward(training);
                bwd[i] += System.nanoTime() - t;
            }
        }
        List<StepTime> out = new ArrayList<>();
        for (int i = 0; i < forward.size(); i++) {
            Primitive p = primitives.get(i);
            out.add(new StepTime(p.layer(), p.getClass().getSimpleName(), fwd[i] / 1e6 / steps, bwd[i] / 1e6 / steps));
        }
        return out;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /** Closes the resources newest first (a resource may use an older one); holds no reference to the plan. */
    private record Release(List<NativeResource> resources) implements Runnable {
        @Override
        public void run() {
            for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
            resources.clear();
        }
    }
}
