package kiln.engine.data.pipeline;

import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.DataSplits;
import kiln.engine.data.SplitSettings;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Timings for docs/performance.md ("Data previews"), run by hand, never as a test:
 * 16 MNIST images through the whole pipeline after a parameter change, and augmentation throughput.
 */
public final class PipelineBenchmark {

    public static void main(String[] args) throws Exception {
        DataSplits s = DataLoader.load(new DataSourceSpec.Bundled("mnist"), Path.of("."), SplitSettings.defaults(), Progress.NONE);
        PipelineFitter fitter = new PipelineFitter(s.train());
        int[] sixteen = PipelinePreview.spread(16, s.train().size());
        PipelineStep scale = new PipelineStep(ScaleStep.ID, true, Map.of());
        PipelineStep standardize = new PipelineStep(StandardizeStep.ID, true, Map.of());
        for (int round = 0; round < 2; round++) {
            String label = round == 0 ? "warm-up" : "measured";
            for (double degrees : new double[] {5, 10, 15, 20, 25}) {
                Pipeline p = new Pipeline(List.of(scale, new PipelineStep(Augmentations.Rotate.ID, true, Map.of("degrees", degrees)), standardize));
                long t0 = System.nanoTime();
                PipelinePreview.throughPipeline(fitter, p, sixteen, 1);
                PipelinePreview.ofStep(fitter, p, 1, 8, 4, 1);
                if (round == 1) report("rotation angle changed (" + degrees + "°)", t0);
            }
            for (String mode : new String[] {"per-channel", "per-feature", "global", "auto"}) {
                Pipeline p = new Pipeline(List.of(scale, new PipelineStep(Augmentations.Rotate.ID, true, Map.of()),
                        new PipelineStep(StandardizeStep.ID, true, Map.of("mode", mode))));
                long t0 = System.nanoTime();
                PipelinePreview.throughPipeline(fitter, p, sixteen, 1);
                PipelinePreview.ofStep(fitter, p, 2, 8, 4, 1);
                if (round == 1) report("standardize mode changed (" + mode + ", refits on 54,000 images)", t0);
            }
            for (double factor : new double[] {1 / 255.0, 2 / 255.0}) {
                Pipeline p = new Pipeline(List.of(new PipelineStep(ScaleStep.ID, true, Map.of("factor", factor)),
                        new PipelineStep(Augmentations.Rotate.ID, true, Map.of()), standardize));
                long t0 = System.nanoTime();
                PipelinePreview.throughPipeline(fitter, p, sixteen, 1);
                if (round == 1) report("scale factor changed (refits scale and standardize)", t0);
            }
            System.out.println(label + " done");
        }
        // augmentation throughput: batches of 64 through rotate + shift + zoom + noise + cutout, then standardize
        Pipeline aug = new Pipeline(List.of(scale, new PipelineStep(Augmentations.Rotate.ID, true, Map.of()),
                new PipelineStep(Augmentations.Shift.ID, true, Map.of()), new PipelineStep(Augmentations.Zoom.ID, true, Map.of()),
                new PipelineStep(Augmentations.Noise.ID, true, Map.of()), new PipelineStep(Augmentations.Cutout.ID, true, Map.of()),
                standardize));
        Pipeline rotateOnly = new Pipeline(List.of(scale, new PipelineStep(Augmentations.Rotate.ID, true, Map.of()), standardize));
        for (Pipeline p : List.of(rotateOnly, aug)) {
            Pipeline.Fitted f = p.fit(s.train());
            var before = f.beforeAugmentation(s.train());
            int[] order = kiln.engine.data.pipeline.PipelinePreview.spread(before.size(), before.size());
            for (int rep = 0; rep < 2; rep++) {
                long t0 = System.nanoTime();
                int images = 0;
                for (int b = 0; b + 64 <= 20_000; b += 64, images += 64) f.trainingBatch(before, order, b, b + 64, b);
                double sec = (System.nanoTime() - t0) / 1e9;
                if (rep == 1) System.out.printf(Locale.ROOT, "augmentation %s: %,.0f images/s (one thread, batches of 64)%n",
                        p.steps().size() == 3 ? "rotate" : "rotate+shift+zoom+noise+cutout", images / sec);
            }
        }
    }

    private static void report(String what, long t0) {
        System.out.printf(Locale.ROOT, "%-70s %6.1f ms%n", what, (System.nanoTime() - t0) / 1e6);
    }
}
