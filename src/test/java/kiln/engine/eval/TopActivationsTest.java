package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top samples of a unit, against forwarding each sample alone and sorting by the unit's value. */
class TopActivationsTest {

    @TempDir
    static Path dir;
    static TrainedModel cnn;
    static TrainedModel tabular;

    @BeforeAll
    static void load() throws Exception {
        Path c = Files.createDirectories(dir.resolve("cnn"));
        cnn = TrainedModel.untrained(TrainedProjects.copySample("mnist-cnn", c), c, 300, Progress.NONE);
        Path t = Files.createDirectories(dir.resolve("tabular"));
        tabular = TrainedModel.untrained(TrainedProjects.copySample("tabular-binary", t), t, 0, Progress.NONE);
    }

    /** One sample forwarded alone: the unit's largest value over the channel's positions, or the feature's value. */
    private static float direct(TrainedModel model, String layer, int unit, int sample) {
        Dataset train = model.data().splits().train();
        int per = train.sampleLength();
        float[] x = Arrays.copyOfRange(train.features(), sample * per, (sample + 1) * per);
        float[] out = model.network().layerOutputs(x, 1).get(layer);
        TensorShape shape = model.analysis().get(layer).shape();
        if (shape.kind() == TensorShape.Kind.VECTOR) return out[unit];
        int cells = shape.height() * shape.width();
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < cells; i++) max = Math.max(max, out[unit * cells + i]);
        return max;
    }

    private static void assertMatchesDirect(TrainedModel model, String layer, int unit, int top, int limit) {
        TopActivations.Result r = TopActivations.find(model, layer, unit, top, limit, Progress.NONE);
        int n = Math.min(limit, model.data().splits().train().size());
        assertEquals(n, r.scanned());
        List<float[]> all = new ArrayList<>();
        for (int s = 0; s < n; s++) all.add(new float[] {s, direct(model, layer, unit, s)});
        all.sort(Comparator.comparingDouble((float[] e) -> -e[1]));
        assertEquals(top, r.top().size());
        for (int k = 0; k < top; k++) {
            TopActivations.Entry e = r.top().get(k);
            assertEquals(all.get(k)[1], e.value(), 1e-4f * Math.max(1, Math.abs(e.value())), layer + " rank " + k);
            assertEquals(direct(model, layer, unit, e.sample()), e.value(), 1e-4f * Math.max(1, Math.abs(e.value())));
            assertEquals(model.data().splits().train().labels()[e.sample()], e.label());
            if (k > 0) assertTrue(e.value() <= r.top().get(k - 1).value(), "highest first");
        }
    }

    @Test
    void aChannelsTopSamplesAreThoseWithTheLargestValueAnywhereInItsMaps() {
        // 150 samples in batches of 64: the last batch is a short one.
        assertMatchesDirect(cnn, "conv2", 5, 6, 150);
        assertEquals("max over 11×11 positions", TopActivations.reduction(cnn.analysis().get("conv2").shape()));
    }

    @Test
    void aDenseUnitsTopSamplesAreThoseWhereItFiresMost() {
        assertMatchesDirect(cnn, "dense1", 17, 5, 100);
        assertMatchesDirect(tabular, TopActivations.layers(tabular).get(0), 2, 4, 200);
    }

    @Test
    void aMissingLayerOrUnitIsNamedAndCancelStopsThePass() {
        var noUnit = assertThrows(IllegalArgumentException.class, () -> TopActivations.find(cnn, "conv1", 32, 5, 10, Progress.NONE));
        assertTrue(noUnit.getMessage().contains("conv1 has 32 units"), noUnit.getMessage());
        var noLayer = assertThrows(IllegalArgumentException.class, () -> TopActivations.find(cnn, "conv9", 0, 5, 10, Progress.NONE));
        assertTrue(noLayer.getMessage().contains("layers: conv1, pool1"), noLayer.getMessage());
        Progress cancelled = new Progress() {
            @Override public void update(double fraction, String message) { }
            @Override public boolean isCancelled() { return true; }
        };
        assertThrows(Progress.CancelledException.class, () -> TopActivations.find(cnn, "conv1", 0, 5, 100, cancelled));
    }
}
