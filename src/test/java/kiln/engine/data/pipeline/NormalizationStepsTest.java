package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationStepsTest {

    /** Two 1×2 RGB images; channel means over the two images: R 2, G 20, B 5. */
    private static final TensorShape RGB = TensorShape.image(1, 2, 3);
    private static final Dataset TRAIN = Data.images(RGB,
            new float[] {1, 3, 10, 30, 5, 5},
            new float[] {1, 3, 10, 30, 5, 5});

    @Test
    void perChannelStandardizeUsesTrainingStatisticsOnly() {
        // R: values 1, 3, 1, 3 → mean 2, std 1. G: 10, 30 → mean 20, std 10. B constant 5 → stays 0 (no division by 0)
        float[] test = {2, 4, 20, 0, 5, 6};
        float[] out = Data.transform(StandardizeStep.ID, TRAIN, test, Map.of("mode", "per-channel"));
        assertArrayEquals(new float[] {0, 2, 0, -2, 0, 1}, out, 1e-6f);
    }

    @Test
    void standardizedTrainingSplitHasMeanZeroAndStdOne() {
        java.util.Random r = new java.util.Random(3);
        float[][] rows = new float[200][];
        for (int i = 0; i < rows.length; i++) rows[i] = new float[] {(float) (r.nextGaussian() * 7 + 40), r.nextFloat() * 3};
        Dataset d = Data.rows(rows, new int[200]);
        float[] out = Data.transform(StandardizeStep.ID, d, d.features(), Map.of("mode", "per-feature"));
        for (int c = 0; c < 2; c++) {
            double sum = 0, sq = 0;
            for (int i = c; i < out.length; i += 2) {
                sum += out[i];
                sq += out[i] * out[i];
            }
            assertEquals(0, sum / 200, 1e-5);
            assertEquals(1, Math.sqrt(sq / 200), 1e-4);
        }
    }

    @Test
    void globalStandardizeUsesOneMeanForAllValues() {
        Dataset d = Data.rows(new float[][] {{0, 4}, {2, 2}}, 0, 0); // mean 2, std sqrt(2)
        float[] out = Data.transform(StandardizeStep.ID, d, new float[] {2, 4}, Map.of("mode", "global"));
        assertArrayEquals(new float[] {0, (float) Math.sqrt(2)}, out, 1e-6f);
    }

    @Test
    void minMaxMapsTrainingRangeToTheTarget() {
        Dataset d = Data.rows(new float[][] {{0, 10}, {50, 20}}, 0, 0); // global min 0, max 50
        assertArrayEquals(new float[] {-1, 1, -0.6f, -0.2f}, Data.transform(MinMaxStep.ID, d, new float[] {0, 50, 10, 20},
                Map.of("low", -1.0, "high", 1.0)), 1e-6f);
        // per feature: column 1 goes from [10, 20] to [0, 1]
        assertArrayEquals(new float[] {0.5f, 0.5f}, Data.transform(MinMaxStep.ID, d, new float[] {25, 15},
                Map.of("mode", "per-feature")), 1e-6f);
        assertTrue(new MinMaxStep().check(Map.of("low", 1.0, "high", 0.0)).orElseThrow().contains("below High"));
    }

    @Test
    void fixedMnistConstantsAndCifarPerChannel() {
        Dataset grey = Data.images(TensorShape.image(1, 2, 1), new float[] {0, 1});
        float[] out = Data.transform(FixedNormalizeStep.ID, grey, new float[] {0, 1}, Map.of("preset", "mnist"));
        assertArrayEquals(new float[] {-0.1307f / 0.3081f, (1 - 0.1307f) / 0.3081f}, out, 1e-5f);
        float[] rgb = Data.transform(FixedNormalizeStep.ID, TRAIN, new float[] {0.4914f, 0.4914f, 0.4822f, 0.4822f, 1, 1},
                Map.of("preset", "cifar10"));
        assertArrayEquals(new float[] {0, 0, 0, 0, (1 - 0.4465f) / 0.2616f, (1 - 0.4465f) / 0.2616f}, rgb, 1e-4f);
        assertTrue(new FixedNormalizeStep().checkInput(TensorShape.image(2, 2, 2),
                StepParams.checked(new FixedNormalizeStep(), Map.of("preset", "cifar10"))).isPresent());
    }

    @Test
    void scaleMultipliesAndRefusesZero() {
        assertArrayEquals(new float[] {1, 0.5f}, Data.transform(ScaleStep.ID, TRAIN, new float[] {255, 127.5f},
                Map.of("factor", 1 / 255.0)), 1e-6f);
        assertTrue(new ScaleStep().check(Map.of("factor", 0.0)).isPresent());
    }
}
