package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.data.DataSplits;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered data steps of a project. Training and the data pane's previews both go through
 * {@link #fit} and the returned {@link Fitted}, so what a student previews is what the network gets.
 */
public record Pipeline(List<PipelineStep> steps) {

    public Pipeline {
        steps = List.copyOf(steps);
    }

    /** Pixels to [0, 1], the usual start for image data. */
    public static Pipeline scalePixels() {
        return new Pipeline(List.of(new PipelineStep(ScaleStep.ID, true, java.util.Map.of("factor", ScaleStep.PIXELS_TO_UNIT))));
    }

    /** Every reason the steps cannot run, naming the step by position. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep s = steps.get(i);
            int pos = i + 1;
            StepType.find(s.type()).ifPresentOrElse(
                    t -> t.check(s.params()).ifPresent(m -> p.add("Data step " + pos + " (" + t.displayName() + "): " + m)),
                    () -> p.add("Data step " + pos + " has the unknown type '" + s.type() + "'; known types: "
                            + StepType.all().stream().map(StepType::id).toList() + "."));
        }
        return p;
    }

    /** Fits every enabled step in order, each on the training split as transformed by the steps before it. */
    public Fitted fit(Dataset train) {
        List<StepType.Transform> transforms = new ArrayList<>();
        Dataset current = train;
        for (PipelineStep s : steps) {
            if (!s.enabled()) continue;
            StepType.Transform t = StepType.find(s.type()).orElseThrow().fit(current, s.params());
            transforms.add(t);
            current = applyAll(current, List.of(t));
        }
        return new Fitted(List.copyOf(transforms));
    }

    private static Dataset applyAll(Dataset d, List<StepType.Transform> transforms) {
        float[] copy = d.features().clone();
        for (StepType.Transform t : transforms) t.apply(copy, d.sampleLength());
        return new Dataset(d.sampleShape(), copy, d.labels(), d.classNames(), d.source());
    }

    /** A pipeline fitted on a training split, ready to transform any split or single sample. */
    public record Fitted(List<StepType.Transform> transforms) {

        public Dataset apply(Dataset d) {
            return applyAll(d, transforms);
        }

        public DataSplits apply(DataSplits s) {
            return new DataSplits(apply(s.train()), apply(s.validation()), apply(s.test()));
        }

        public List<String> describe() {
            return transforms.stream().map(StepType.Transform::describe).toList();
        }
    }
}
