package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits pipelines on one training split and remembers each step's result, so that changing a later step's
 * parameters refits only from that step on (the data pane refits after every edit). The fitting itself is
 * the same code whether the result trains a network or draws a preview.
 */
public final class PipelineFitter {

    private record Entry(PipelineStep step, StepType type, StepType.FittedStep fitted, Dataset after, CleaningReport report) { }

    private final Dataset train;
    private final List<Entry> chain = new ArrayList<>();

    public PipelineFitter(Dataset train) {
        this.train = train;
    }

    public Dataset train() {
        return train;
    }

    /** Fits the enabled steps in order; the pipeline must have no {@link Pipeline#problems(kiln.engine.model.TensorShape)}. */
    public synchronized Pipeline.Fitted fit(Pipeline pipeline) {
        List<Pipeline.Stage> stages = new ArrayList<>();
        List<CleaningReport> reports = new ArrayList<>();
        Dataset current = train;
        int k = 0;
        for (int pos = 0; pos < pipeline.steps().size(); pos++) {
            PipelineStep s = pipeline.steps().get(pos);
            if (!s.enabled()) continue;
            Entry e;
            if (k < chain.size() && chain.get(k).step().equals(s)) {
                e = chain.get(k);
            } else {
                while (chain.size() > k) chain.remove(chain.size() - 1);
                e = fitOne(s, current);
                chain.add(e);
            }
            stages.add(new Pipeline.Stage(pos, s, e.type(), e.fitted()));
            if (e.report() != null) reports.add(e.report());
            current = e.after();
            k++;
        }
        while (chain.size() > k) chain.remove(chain.size() - 1);
        return new Pipeline.Fitted(stages, reports);
    }

    /** The training split as enabled step number {@code stage} of the last fit receives it. */
    synchronized Dataset input(int stage) {
        return stage == 0 ? train : chain.get(stage - 1).after();
    }

    /** The training split after enabled step number {@code stage} of the last fit, and its cleaning report (or null). */
    synchronized StepType.Cleaned output(int stage) {
        Entry e = chain.get(stage);
        return new StepType.Cleaned(e.after(), e.report());
    }

    private static Entry fitOne(PipelineStep s, Dataset input) {
        StepType type = StepType.find(s.type()).orElseThrow(() -> new IllegalArgumentException("unknown step " + s.type()));
        StepType.FittedStep fitted = type.fit(input, StepParams.checked(type, s.params()));
        if (fitted instanceof StepType.Cleaner c) {
            StepType.Cleaned cleaned = c.clean(input);
            return new Entry(s, type, fitted, cleaned.data(), cleaned.report());
        }
        if (fitted instanceof StepType.Transform t) {
            float[] copy = input.features().clone();
            t.apply(copy, input.sampleLength());
            return new Entry(s, type, fitted, new Dataset(input.sampleShape(), copy, input.labels(), input.classNames(),
                    input.source()), null);
        }
        return new Entry(s, type, fitted, input, null); // augmentation leaves the data for later steps as it is
    }
}
