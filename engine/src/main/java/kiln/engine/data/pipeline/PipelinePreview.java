package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the data pane shows for one step: the same samples before and after it (several random draws for
 * augmentation), value histograms, and what a cleaning step changed. It runs the fitted steps from
 * {@link PipelineFitter}, the code training runs, on a handful of training samples.
 */
public final class PipelinePreview {

    /** Values of the histograms come from this many samples of the step's input (or all, when fewer). */
    public static final int HISTOGRAM_SAMPLES = 1000;

    /**
     * @param before     the chosen samples as the step receives them
     * @param after      per sample, one result (several for augmentation); empty for a sample a cleaning step dropped
     * @param labels     class names of the chosen samples
     * @param indices    positions of the chosen samples in the step's input
     * @param report     what a cleaning step did to the training split, else null
     * @param description the fitted step in words (its constants)
     */
    public record Result(String stepName, StepType.Kind kind, TensorShape beforeShape, TensorShape afterShape,
                         List<float[]> before, List<List<float[]>> after, List<String> labels, int[] indices,
                         Histogram beforeHistogram, Histogram afterHistogram, CleaningReport report, String description) { }

    private PipelinePreview() { }

    /**
     * Preview of the step at {@code position} of the pipeline (whose enabled steps must fit without problems).
     * Cleaning steps show the samples they remove, change or flag (the first {@code count}); the other steps
     * show {@code count} samples spread over the training split. Augmentation shows {@code draws} draws per sample from {@code seed}.
     */
    public static Result ofStep(PipelineFitter fitter, Pipeline pipeline, int position, int count, int draws, long seed) {
        synchronized (fitter) {
            return ofStepLocked(fitter, pipeline, position, count, draws, seed);
        }
    }

    private static Result ofStepLocked(PipelineFitter fitter, Pipeline pipeline, int position, int count, int draws, long seed) {
        PipelineStep selected = pipeline.steps().get(position);
        // Preview the step as if enabled, so a switched-off step can be tried before switching it on.
        List<PipelineStep> steps = new ArrayList<>(pipeline.steps());
        steps.set(position, new PipelineStep(selected.type(), true, selected.params()));
        Pipeline.Fitted fitted = fitter.fit(new Pipeline(steps));
        int k = stageIndex(fitted, position);
        Dataset input = fitter.input(k);
        Pipeline.Stage stage = fitted.stages().get(k);
        StepType.FittedStep step = stage.fitted();
        List<float[]> before = new ArrayList<>();
        List<List<float[]>> after = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int per = input.sampleLength();
        CleaningReport report = null;
        int[] picks;
        TensorShape afterShape = input.sampleShape();
        if (step instanceof StepType.Cleaner) {
            StepType.Cleaned cleaned = fitter.output(k);
            report = cleaned.report();
            afterShape = cleaned.data().sampleShape();
            picks = affected(report, count);
            int[] outIndex = outputPositions(input.size(), report.removed());
            int perOut = cleaned.data().sampleLength();
            for (int i : picks) {
                before.add(sample(input, i));
                int o = outIndex[i];
                after.add(o < 0 ? List.of() : List.of(java.util.Arrays.copyOfRange(cleaned.data().features(), o * perOut, o * perOut + perOut)));
            }
        } else {
            picks = spread(count, input.size());
            SplittableRandom random = new SplittableRandom(seed);
            for (int i : picks) {
                float[] x = sample(input, i);
                before.add(x);
                List<float[]> draw = new ArrayList<>();
                int times = step instanceof StepType.Augmenter ? Math.max(1, draws) : 1;
                for (int d = 0; d < times; d++) {
                    float[] y = x.clone();
                    if (step instanceof StepType.Augmenter a) a.augment(y, 0, input.sampleShape(), random.split());
                    else ((StepType.Transform) step).apply(y, per);
                    draw.add(y);
                }
                after.add(draw);
            }
        }
        for (int i : picks) labels.add(input.labelText(i));
        Histogram beforeHist = null;
        Histogram afterHist = null;
        if (step instanceof StepType.Transform t) {
            float[] values = valuesOf(input, spread(Math.min(HISTOGRAM_SAMPLES, input.size()), input.size()));
            beforeHist = Histogram.of(values, 50);
            float[] changed = values.clone();
            t.apply(changed, per);
            afterHist = Histogram.of(changed, 50);
        }
        return new Result(stage.type().displayName(), stage.type().kind(), input.sampleShape(), afterShape, before, after,
                labels, picks, beforeHist, afterHist, report, step.describe());
    }

    /**
     * The chosen training samples through the whole pipeline as training sees them: cleaning, then a fresh
     * augmentation draw from {@code seed}, then the steps after it. Returns the samples laid out as Dataset features.
     */
    public static float[] throughPipeline(PipelineFitter fitter, Pipeline pipeline, int[] trainIndices, long seed) {
        Pipeline.Fitted fitted;
        Dataset before;
        synchronized (fitter) {
            fitted = fitter.fit(pipeline);
            before = fitter.input(fitted.firstAugmentation());
        }
        int[] order = new int[trainIndices.length];
        for (int i = 0; i < order.length; i++) order[i] = Math.min(trainIndices[i], before.size() - 1);
        return fitted.trainingBatch(before, order, 0, order.length, seed);
    }

    private static int stageIndex(Pipeline.Fitted fitted, int position) {
        for (int k = 0; k < fitted.stages().size(); k++) if (fitted.stages().get(k).position() == position) return k;
        throw new IllegalArgumentException("no enabled step at position " + position);
    }

    /** count positions spread evenly over size (all when fewer). */
    public static int[] spread(int count, int size) {
        int n = Math.min(count, size);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (int) ((long) i * size / n);
        return out;
    }

    private static int[] affected(CleaningReport r, int count) {
        java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
        for (int[] part : new int[][] {r.removed(), r.changed(), r.flagged()}) {
            for (int i : part) {
                all.add(i);
                if (all.size() > count) all.pollLast();
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Where each input sample ends up after removals (−1 when removed). */
    private static int[] outputPositions(int size, int[] removed) {
        int[] out = new int[size];
        boolean[] gone = new boolean[size];
        for (int r : removed) gone[r] = true;
        for (int i = 0, o = 0; i < size; i++) out[i] = gone[i] ? -1 : o++;
        return out;
    }

    private static float[] sample(Dataset d, int i) {
        int per = d.sampleLength();
        return java.util.Arrays.copyOfRange(d.features(), i * per, i * per + per);
    }

    private static float[] valuesOf(Dataset d, int[] picks) {
        int per = d.sampleLength();
        float[] out = new float[picks.length * per];
        for (int i = 0; i < picks.length; i++) System.arraycopy(d.features(), picks[i] * per, out, i * per, per);
        return out;
    }
}
