package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTest {

    private static PipelineStep step(String type, Map<String, Object> params) {
        return new PipelineStep(type, true, params);
    }

    @Test
    void outputShapeFollowsResizeAndSkipsDisabledSteps() {
        Pipeline p = new Pipeline(List.of(step(ResizeStep.ID, Map.of("height", 32, "width", 32)), step(ScaleStep.ID, Map.of())));
        assertEquals(TensorShape.image(32, 32, 1), p.outputShape(TensorShape.image(28, 28, 1)).orElseThrow());
        Pipeline off = new Pipeline(List.of(new PipelineStep(ResizeStep.ID, false, Map.of())));
        assertEquals(TensorShape.image(28, 28, 1), off.outputShape(TensorShape.image(28, 28, 1)).orElseThrow());
        assertTrue(p.outputShape(TensorShape.vector(5)).isEmpty(), "resize cannot work on table rows");
    }

    @Test
    void cleaningAfterAugmentationIsRefusedWithAPlainMessage() {
        Pipeline p = new Pipeline(List.of(step(Augmentations.Rotate.ID, Map.of()), step(DropDuplicatesStep.ID, Map.of())));
        assertEquals(1, p.problems().size());
        assertTrue(p.problems().get(0).contains("move the cleaning steps before the augmentation steps"), p.problems().get(0));
        Pipeline bad = new Pipeline(List.of(step(Augmentations.Rotate.ID, Map.of("degrees", 500.0))));
        assertTrue(bad.problems().get(0).startsWith("Data step 1 (Random rotation): Max angle (°) is 500.0"), bad.problems().get(0));
    }

    @Test
    void normalizationIsFittedOnWhatTheCleaningLeft() {
        // the NaN row is dropped before standardizing, so the mean is (1 + 3) / 2 = 2
        Dataset d = Data.rows(new float[][] {{1}, {Float.NaN}, {3}}, 0, 1, 0);
        Pipeline p = new Pipeline(List.of(step(DropMissingStep.ID, Map.of()), step(StandardizeStep.ID, Map.of())));
        Pipeline.Applied out = p.fit(d).applyWithReports(d);
        assertArrayEquals(new float[] {-1, 1}, out.data().features(), 1e-6f);
        assertEquals(1, out.reports().get(0).removedCount());
    }

    @Test
    void fitterRefitsOnlyFromTheChangedStep() {
        Dataset d = Data.rows(new float[][] {{0}, {10}}, 0, 0);
        PipelineFitter fitter = new PipelineFitter(d);
        Pipeline a = new Pipeline(List.of(step(ScaleStep.ID, Map.of("factor", 2.0)), step(Augmentations.Noise.ID, Map.of()),
                step(StandardizeStep.ID, Map.of())));
        Pipeline.Fitted first = fitter.fit(a);
        Pipeline b = new Pipeline(List.of(a.steps().get(0), step(Augmentations.Noise.ID, Map.of("std", 0.2)), a.steps().get(2)));
        Pipeline.Fitted second = fitter.fit(b);
        assertTrue(first.stages().get(0).fitted() == second.stages().get(0).fitted(), "scale reused");
        assertTrue(first.stages().get(1).fitted() != second.stages().get(1).fitted(), "noise refitted");
        assertEquals(first.describe().get(0), second.describe().get(0));
        assertEquals(a.fit(d).describe(), fitter.fit(a).describe(), "a fresh fit and a cached one agree");
    }

    @Test
    void previewShowsTheSameSamplesBeforeAndAfterWithHistograms() {
        float[][] rows = new float[20][];
        for (int i = 0; i < 20; i++) rows[i] = new float[] {i, 2 * i, 3 * i, 4 * i};
        Dataset img = new Dataset(TensorShape.image(2, 2, 1), Data.rows(rows, new int[20]).features(), new int[20],
                List.of("x"), "t");
        Pipeline p = new Pipeline(List.of(step(ScaleStep.ID, Map.of("factor", 0.5)), step(StandardizeStep.ID, Map.of())));
        PipelinePreview.Result r = PipelinePreview.ofStep(new PipelineFitter(img), p, 1, 4, 3, 1);
        assertEquals(4, r.before().size());
        assertArrayEquals(new int[] {0, 5, 10, 15}, r.indices());
        assertArrayEquals(new float[] {2.5f, 5, 7.5f, 10}, r.before().get(1), 1e-6f, "sample 5 after Scale ×0.5");
        assertNotNull(r.afterHistogram());
        assertEquals(0, r.afterHistogram().mean(), 1e-5);
        assertEquals(1, r.afterHistogram().std(), 1e-4);
        assertEquals(1, r.after().get(0).size(), "normalization has one result per sample");
    }

    @Test
    void augmentationPreviewGivesSeveralDrawsThatRepeatForTheSeed() {
        Dataset img = Data.images(TensorShape.image(3, 3, 1), new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Pipeline p = new Pipeline(List.of(step(Augmentations.Rotate.ID, Map.of("degrees", 90.0))));
        PipelinePreview.Result a = PipelinePreview.ofStep(new PipelineFitter(img), p, 0, 1, 4, 11);
        PipelinePreview.Result b = PipelinePreview.ofStep(new PipelineFitter(img), p, 0, 1, 4, 11);
        PipelinePreview.Result c = PipelinePreview.ofStep(new PipelineFitter(img), p, 0, 1, 4, 12);
        assertEquals(4, a.after().get(0).size());
        for (int d = 0; d < 4; d++) assertArrayEquals(a.after().get(0).get(d), b.after().get(0).get(d));
        assertTrue(!java.util.Arrays.equals(a.after().get(0).get(0), c.after().get(0).get(0)), "a new seed gives new draws");
    }

    @Test
    void cleaningPreviewShowsTheRemovedSamples() {
        Dataset d = Data.rows(new float[][] {{1, 2}, {Float.NaN, 4}, {5, 6}}, 0, 1, 0);
        PipelinePreview.Result r = PipelinePreview.ofStep(new PipelineFitter(d),
                new Pipeline(List.of(step(DropMissingStep.ID, Map.of()))), 0, 8, 1, 1);
        assertArrayEquals(new int[] {1}, r.indices());
        assertTrue(r.after().get(0).isEmpty(), "a dropped sample has no 'after'");
        assertEquals(1, r.report().removedCount());
    }
}
