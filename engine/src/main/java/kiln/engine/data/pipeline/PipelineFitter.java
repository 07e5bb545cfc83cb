package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits pipelines on one training split and remembers each step's result, so that changing a later step's
 * parameters refits only from that step on (the data pane refits after every edit). Augmentation does not
 * change what later steps fit on, so changing it refits nothing else. The fitting itself is the same code
 * whether the result trains a network or draws a preview.
 */
public final class PipelineFitter {

    /** A fitted cleaning or normalization step; its output on the training split is made when first asked for. */
    private static final class Entry {
        final PipelineStep step;
        final StepType.FittedStep fitted;
        private final Dataset input;
        private Dataset after;
        private CleaningReport report;

        Entry(PipelineStep step, StepType.FittedStep fitted, Dataset input) {
            this.step = step;
            this.fitted = fitted;
            this.input = input;
        }

        Dataset after() {
            if (after == null) {
                if (fitted instanceof StepType.Cleaner c) {
                    StepType.Cleaned cleaned = c.clean(input);
                    after = cleaned.data();
                    report = cleaned.report();
                } else {
                    float[] copy = input.features().clone();
                    ((StepType.Transform) fitted).apply(copy, input.sampleLength());
                    after = input.withFeatures(input.sampleShape(), copy);
                }
            }
            return after;
        }

        CleaningReport report() {
            after();
            return report;
        }
    }

    private final Dataset train;
    private final List<Entry> chain = new ArrayList<>();
    /** For each stage of the last fit: how many chain entries come before it. */
    private final List<Integer> chainBefore = new ArrayList<>();

    public PipelineFitter(Dataset train) {
        this.train = train;
    }

    public Dataset train() {
        return train;
    }

    /** Fits the enabled steps in order; the pipeline must have no {@link Pipeline#problems(kiln.engine.shape.TensorShape)}. */
    public synchronized Pipeline.Fitted fit(Pipeline pipeline) {
        List<Pipeline.Stage> stages = new ArrayList<>();
        List<CleaningReport> reports = new ArrayList<>();
        chainBefore.clear();
        int k = 0;
        for (int pos = 0; pos < pipeline.steps().size(); pos++) {
            PipelineStep s = pipeline.steps().get(pos);
            if (!s.enabled()) continue;
            StepType type = StepType.find(s.type()).orElseThrow(() -> new IllegalArgumentException("unknown step " + s.type()));
            Dataset current = k == 0 ? train : chain.get(k - 1).after();
            chainBefore.add(k);
            if (type.kind() == StepType.Kind.AUGMENTATION) {
                stages.add(new Pipeline.Stage(pos, s, type, type.fit(current, StepParams.checked(type, s.params()))));
                continue;
            }
            Entry e;
            if (k < chain.size() && chain.get(k).step.equals(s)) {
                e = chain.get(k);
            } else {
                while (chain.size() > k) chain.remove(chain.size() - 1);
                e = new Entry(s, type.fit(current, StepParams.checked(type, s.params())), current);
                chain.add(e);
            }
            stages.add(new Pipeline.Stage(pos, s, type, e.fitted));
            if (e.fitted instanceof StepType.Cleaner) reports.add(e.report());
            k++;
        }
        while (chain.size() > k) chain.remove(chain.size() - 1);
        return new Pipeline.Fitted(stages, reports);
    }

    /** The training split as stage {@code stage} of the last fit receives it (past the end: after every step). */
    synchronized Dataset input(int stage) {
        int k = stage < chainBefore.size() ? chainBefore.get(stage) : chain.size();
        return k == 0 ? train : chain.get(k - 1).after();
    }

    /** The training split after cleaning stage {@code stage} of the last fit, with its report. */
    synchronized StepType.Cleaned output(int stage) {
        Entry e = chain.get(chainBefore.get(stage));
        return new StepType.Cleaned(e.after(), e.report());
    }
}
