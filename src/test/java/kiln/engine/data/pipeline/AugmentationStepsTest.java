package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationStepsTest {

    private static final TensorShape S3 = TensorShape.image(3, 3, 1);
    private static final float[] IMG = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final Dataset TRAIN = Data.images(S3, IMG, new float[] {0, 0, 0, 0, 0, 0, 0, 0, 10});

    private static float[] augment(String type, Map<String, Object> params, float[] image, long seed) {
        float[] v = image.clone();
        ((StepType.Augmenter) Data.fit(type, TRAIN, params)).augment(v, 0, S3, new SplittableRandom(seed));
        return v;
    }

    @Test
    void horizontalFlipIsAnExactMirror() {
        float[] v = augment(Augmentations.Flip.ID, Map.of("probability", 1.0), IMG, 1);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, v);
        float[] up = augment(Augmentations.Flip.ID, Map.of("probability", 1.0, "horizontal", false, "vertical", true), IMG, 1);
        assertArrayEquals(new float[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, up);
        assertArrayEquals(IMG, augment(Augmentations.Flip.ID, Map.of("probability", 0.0), IMG, 1));
    }

    @Test
    void ninetyDegreeRotationMovesPixelsExactly() {
        // with max angle 90 the draw is random, so check the warp itself at exactly 90°
        float[] v = IMG.clone();
        Images.warp(v, 0, S3, 90, 1, 0, 0, new float[] {0});
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, v, 1e-5f); // counter-clockwise on screen (y down)
        float[] same = IMG.clone();
        Images.warp(same, 0, S3, 0, 1, 0, 0, new float[] {0});
        assertArrayEquals(IMG, same, 1e-6f);
    }

    @Test
    void padAndCropShiftsByWholePixelsAndPadsWithTheTrainingMinimum() {
        float[] v = IMG.clone();
        Images.shiftWhole(v, 0, S3, 1, 0, new float[] {0});
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, v);
        for (long seed = 0; seed < 20; seed++) {
            float[] a = augment(Augmentations.PadCrop.ID, Map.of("padding", 1), IMG, seed);
            for (float x : a) assertTrue(x == 0 || (x >= 1 && x <= 9), "only original pixels or the fill");
        }
    }

    @Test
    void everyAugmentationIsDeterministicForASeedAndVariesAcrossSeeds() {
        for (StepType t : StepType.all()) {
            if (t.kind() != StepType.Kind.AUGMENTATION) continue;
            Map<String, Object> strong = switch (t.id()) {
                case "rotate" -> Map.of("degrees", 45.0);
                case "cutout" -> Map.of("size", 2, "probability", 1.0);
                case "pad_crop" -> Map.of("padding", 2);
                case "shift" -> Map.of("fraction", 0.4);
                case "zoom" -> Map.of("amount", 0.5);
                default -> Map.of();
            };
            float[] a = augment(t.id(), strong, IMG, 7);
            assertArrayEquals(a, augment(t.id(), strong, IMG, 7), t.id() + " same seed, same result");
            boolean differs = false;
            for (long seed = 8; seed < 40 && !differs; seed++) differs = !java.util.Arrays.equals(a, augment(t.id(), strong, IMG, seed));
            assertTrue(differs, t.id() + " changes with the seed");
        }
    }

    @Test
    void brightnessAndNoiseStayInsideTheTrainingRange() {
        for (long seed = 0; seed < 30; seed++) {
            for (String id : List.of(Augmentations.BrightnessContrast.ID, Augmentations.Noise.ID)) {
                for (float x : augment(id, Map.of(), IMG, seed)) assertTrue(x >= 0 && x <= 10, id + " gave " + x);
            }
        }
    }

    @Test
    void augmentationIsForTrainingBatchesOnly() {
        Pipeline p = new Pipeline(List.of(new PipelineStep(Augmentations.Flip.ID, true, Map.of("probability", 1.0)),
                new PipelineStep(ScaleStep.ID, true, Map.of("factor", 0.1))));
        Pipeline.Fitted f = p.fit(TRAIN);
        assertTrue(f.augments());
        // validation, test and inference: no flip, scale only
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f},
                java.util.Arrays.copyOf(f.apply(TRAIN).features(), 9), 1e-6f);
        // training batch: flipped, then scaled (the step after augmentation runs on the batch)
        float[] batch = f.trainingBatch(f.beforeAugmentation(TRAIN), new int[] {0, 1}, 0, 1, 5);
        assertArrayEquals(new float[] {0.3f, 0.2f, 0.1f, 0.6f, 0.5f, 0.4f, 0.9f, 0.8f, 0.7f}, batch, 1e-6f);
        assertArrayEquals(batch, f.trainingBatch(f.beforeAugmentation(TRAIN), new int[] {0, 1}, 0, 1, 5));
        assertEquals(1, f.transforms().size());
    }

    @Test
    void augmentationNeedsImages() {
        Pipeline p = new Pipeline(List.of(new PipelineStep(Augmentations.Rotate.ID, true, Map.of())));
        List<String> problems = p.problems(TensorShape.vector(4));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("works on images"), problems.get(0));
        assertFalse(p.problems(S3).size() > 0);
    }
}
