package kiln.engine.project;

import kiln.engine.params.ParamSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training settings' ParamSpecs are the one description of their names, defaults and ranges. */
class TrainingSettingsTest {

    private static List<ParamSpec> all() {
        List<ParamSpec> all = new ArrayList<>(TrainingSettings.PARAMS);
        all.addAll(TrainingSettings.HEAD_FIRST_PARAMS);
        return all;
    }

    @Test
    void everySettingHasOneSpecWhoseDefaultIsTheDefaultSettingsValue() throws Exception {
        Map<String, Object> values = TrainingSettings.defaults().values();
        assertEquals(values.keySet(), new java.util.LinkedHashSet<>(all().stream().map(ParamSpec::name).toList()));
        for (ParamSpec spec : all()) {
            Object v = values.get(spec.name());
            assertEquals(((Object) spec.coerce(spec.defaultValue())).toString(), v.toString(), spec.name());
        }
        assertEquals(List.of(), TrainingSettings.defaults().problems());
    }

    @Test
    void aValueJustOutsideARangeIsOneProblemNamingTheSettingAndTheRange() {
        // head-first on: with it off, a factor of 0 stands for "unset" in old run.json files and becomes the default
        TrainingSettings d = TrainingSettings.defaults().withHeadFirst(2, 0.1);
        for (ParamSpec spec : all()) {
            if (spec.kind() == ParamSpec.ParamKind.CHOICE) {
                List<String> p = d.with(spec.name(), "nonsense").problems();
                assertEquals(List.of(spec.label() + " is 'nonsense'; use one of " + String.join(", ", spec.choices()) + "."), p);
                continue;
            }
            if (spec.min() <= Long.MIN_VALUE) continue; // the seed: every whole number is allowed
            Number below = spec.kind() == ParamSpec.ParamKind.INT ? (Number) (long) (spec.min() - 1)
                    : (Number) Math.nextDown(spec.min());
            List<String> p = d.with(spec.name(), below).problems();
            assertEquals(1, p.size(), spec.name() + ": " + p);
            assertTrue(p.get(0).startsWith(spec.label() + " is ") && p.get(0).endsWith("; use " + spec.describeAllowed() + "."),
                    p.get(0));
        }
    }

    @Test
    void openBoundsAllowExactlyTheValuesBeyondThem() {
        TrainingSettings d = TrainingSettings.defaults();
        assertEquals(1, d.with("learningRate", 0.0).problems().size(), "a learning rate of 0 is refused");
        assertEquals(List.of(), d.with("learningRate", 1e-12).problems());
        assertEquals(1, d.with("momentum", 1.0).problems().size(), "momentum 1 is refused");
        assertEquals(List.of(), d.with("momentum", 0.999999).problems());
        assertEquals(1, d.with("fineTuneRateFactor", Double.NaN).problems().size(), "NaN is refused");
    }

    @Test
    void withChangesOnlyTheNamedSetting() {
        TrainingSettings d = TrainingSettings.defaults();
        TrainingSettings s = d.with("batchSize", 128).with("seed", 12_345_678_901L).with("optimizer", "sgd");
        assertEquals(128, s.batchSize());
        assertEquals(12_345_678_901L, s.seed());
        assertEquals("sgd", s.optimizer());
        assertEquals(d.learningRate(), s.learningRate());
        assertEquals(d.epochs(), s.epochs());
    }
}
