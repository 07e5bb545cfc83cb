package kiln.engine.data.pipeline;

import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The ordered data steps of a project. Training and the data pane's previews both go through
 * {@link #fit} (or a {@link PipelineFitter}) and the returned {@link Fitted}, so what a student previews
 * is what the network gets. Cleaning steps come before augmentation; augmentation runs on training
 * batches only, fresh for every epoch.
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
        String firstAugmentation = null;
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep s = steps.get(i);
            int pos = i + 1;
            Optional<StepType> type = StepType.find(s.type());
            if (type.isEmpty()) {
                p.add("Data step " + pos + " has the unknown type '" + s.type() + "'; known types: "
                        + StepType.all().stream().map(StepType::id).toList() + ".");
                continue;
            }
            StepType t = type.get();
            t.check(s.params()).ifPresent(m -> p.add("Data step " + pos + " (" + t.displayName() + "): " + m));
            if (!s.enabled()) continue;
            if (t.kind() == StepType.Kind.AUGMENTATION && firstAugmentation == null) {
                firstAugmentation = "step " + pos + " (" + t.displayName() + ")";
            }
            if (t.kind() == StepType.Kind.CLEANING && firstAugmentation != null) {
                p.add("Data step " + pos + " (" + t.displayName() + ") cleans data after the augmentation " + firstAugmentation
                        + "; move the cleaning steps before the augmentation steps.");
            }
        }
        return p;
    }

    /** {@link #problems()} plus every step that cannot work on samples of this shape (as earlier steps leave them). */
    public List<String> problems(TensorShape sourceShape) {
        List<String> p = new ArrayList<>(problems());
        if (!p.isEmpty()) return p;
        TensorShape shape = sourceShape;
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep s = steps.get(i);
            if (!s.enabled()) continue;
            StepType t = StepType.find(s.type()).orElseThrow();
            StepParams params = StepParams.checked(t, s.params());
            Optional<String> bad = t.checkInput(shape, params);
            if (bad.isPresent()) {
                p.add("Data step " + (i + 1) + " (" + t.displayName() + "): " + bad.get());
                continue;
            }
            shape = t.outputShape(shape, params);
        }
        return p;
    }

    /**
     * The shape of one sample after the pipeline, for data of {@code sourceShape}: what the graph's Input
     * must be. Empty when the pipeline has problems with that shape ({@link #problems(TensorShape)} says which).
     */
    public Optional<TensorShape> outputShape(TensorShape sourceShape) {
        if (!problems(sourceShape).isEmpty()) return Optional.empty();
        TensorShape shape = sourceShape;
        for (PipelineStep s : steps) {
            if (!s.enabled()) continue;
            StepType t = StepType.find(s.type()).orElseThrow();
            shape = t.outputShape(shape, StepParams.checked(t, s.params()));
        }
        return Optional.of(shape);
    }

    /** Fits every enabled step in order, each on the training split as the steps before it left it. */
    public Fitted fit(Dataset train) {
        return new PipelineFitter(train).fit(this);
    }

    /** The seed of one training batch's augmentation: runs with the same seed see the same images. */
    public static long batchSeed(long runSeed, int epoch, int batch) {
        long h = runSeed * 0x9E3779B97F4A7C15L + epoch;
        h = h * 0xBF58476D1CE4E5B9L + batch;
        return h ^ (h >>> 31);
    }

    /** One enabled step with its fitted form. */
    public record Stage(int position, PipelineStep step, StepType type, StepType.FittedStep fitted) {
        public boolean isAugmentation() {
            return fitted instanceof StepType.Augmenter;
        }
    }

    /** What applying the cleaning and normalization steps to one split gave. */
    public record Applied(Dataset data, List<CleaningReport> reports) { }

    /** A pipeline fitted on a training split, ready to transform any split or single sample. */
    public static final class Fitted {

        private final List<Stage> stages;
        private final List<CleaningReport> trainReports;

        Fitted(List<Stage> stages, List<CleaningReport> trainReports) {
            this.stages = List.copyOf(stages);
            this.trainReports = List.copyOf(trainReports);
        }

        public List<Stage> stages() {
            return stages;
        }

        /** What the cleaning steps did to the training split while fitting. */
        public List<CleaningReport> trainReports() {
            return trainReports;
        }

        /** The normalization transforms, in order (export writes them into the model's metadata). */
        public List<StepType.Transform> transforms() {
            return stages.stream().filter(s -> s.fitted() instanceof StepType.Transform)
                    .map(s -> (StepType.Transform) s.fitted()).toList();
        }

        /** Cleaning and normalization, no augmentation: for validation, test, inference and scoring. */
        public Dataset apply(Dataset d) {
            return applyWithReports(d).data();
        }

        public Applied applyWithReports(Dataset d) {
            return applyRange(d, 0, stages.size());
        }

        public DataSplits apply(DataSplits s) {
            return new DataSplits(apply(s.train()), apply(s.validation()), apply(s.test()));
        }

        public List<String> describe() {
            return stages.stream().map(s -> s.type().displayName() + ": " + s.fitted().describe()).toList();
        }

        public boolean augments() {
            return firstAugmentation() < stages.size();
        }

        /** The training split as it enters the first augmentation step; batches are made from it. */
        public Dataset beforeAugmentation(Dataset train) {
            return applyRange(train, 0, firstAugmentation()).data();
        }

        /**
         * One training batch: samples order[from..to) of {@code beforeAugmentation}, each augmented with its own
         * random draws from {@code seed}, then the steps after augmentation. Laid out like Dataset features.
         */
        public float[] trainingBatch(Dataset beforeAugmentation, int[] order, int from, int to, long seed) {
            int per = beforeAugmentation.sampleLength();
            float[] batch = new float[(to - from) * per];
            float[] src = beforeAugmentation.features();
            for (int i = from; i < to; i++) System.arraycopy(src, order[i] * per, batch, (i - from) * per, per);
            augmentFrom(firstAugmentation(), batch, beforeAugmentation.sampleShape(), new SplittableRandom(seed));
            return batch;
        }

        /** Runs stages from {@code start} on samples in {@code batch}: augmenters per sample, transforms on all. */
        void augmentFrom(int start, float[] batch, TensorShape shape, SplittableRandom random) {
            int per = Math.toIntExact(shape.elementCount());
            int n = batch.length / per;
            SplittableRandom[] perSample = new SplittableRandom[n];
            for (int s = 0; s < n; s++) perSample[s] = random.split();
            for (int k = start; k < stages.size(); k++) {
                StepType.FittedStep f = stages.get(k).fitted();
                if (f instanceof StepType.Augmenter a) {
                    for (int s = 0; s < n; s++) a.augment(batch, s * per, shape, perSample[s]);
                } else if (f instanceof StepType.Transform t) {
                    t.apply(batch, per);
                }
            }
        }

        int firstAugmentation() {
            for (int k = 0; k < stages.size(); k++) if (stages.get(k).isAugmentation()) return k;
            return stages.size();
        }

        /** Stages [from, to) without augmentation. */
        Applied applyRange(Dataset d, int from, int to) {
            List<CleaningReport> reports = new ArrayList<>();
            Dataset current = d;
            float[] own = null; // a copy we may change in place
            for (int k = from; k < to; k++) {
                StepType.FittedStep f = stages.get(k).fitted();
                if (f instanceof StepType.Cleaner c) {
                    StepType.Cleaned cleaned = c.clean(current);
                    reports.add(cleaned.report());
                    current = cleaned.data();
                    own = null;
                } else if (f instanceof StepType.Transform t) {
                    if (own == null) {
                        own = current.features().clone();
                        current = current.withFeatures(current.sampleShape(), own);
                    }
                    t.apply(own, current.sampleLength());
                }
            }
            return new Applied(current, reports);
        }
    }
}
