package kiln.engine.sweep;

import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading sweep parameters against the tabular sample (dense1, dense2, output) and expanding them into trials. */
class SweepSpecTest {

    @TempDir
    static Path dir;
    static Project project;

    @BeforeAll
    static void load() throws Exception {
        project = ProjectIO.load(SampleCopies.copy("tabular-binary", dir.resolve("t")));
    }

    private static SweepParam param(String text) throws SweepSpecException {
        return SweepParam.parse(text, project);
    }

    private static String refusal(String text) {
        return assertThrows(SweepSpecException.class, () -> param(text)).getMessage();
    }

    @Test
    void listsTakeEachParametersTypeAndDropRepeats() throws Exception {
        assertEquals(List.of(3e-4, 1e-3, 3e-3), param("training.learningRate=0.0003,0.001,0.003").values());
        assertEquals(List.of(32, 64), param("dense1.units=32, 64,32").values());
        assertEquals(List.of("sgd", "adam"), param("training.optimizer=sgd,adam").values());
        assertEquals(List.of("tanh"), param("dense2.activation=tanh").values());
        SweepParam layer = param("dense1.units=8");
        assertEquals("dense1", layer.layer());
        assertEquals(null, param("training.epochs=3").layer());
    }

    @Test
    void rangesAreSpacedLinearlyOrOnALogScale() throws Exception {
        SweepParam log = param("training.learningRate=1e-4:1e-2:log:5");
        assertEquals(List.of(1e-4, 3.162e-4, 1e-3, 3.162e-3, 1e-2), log.values());
        assertTrue(log.log());
        SweepParam lin = param("training.l2=0:0.001:3");
        assertEquals(List.of(0.0, 5e-4, 1e-3), lin.values());
        assertFalse(lin.log());
        assertEquals(lin.values(), param("training.l2=0:0.001:lin:3").values());
        // whole-number parameters round, and points that round alike count once
        assertEquals(List.of(16, 32, 64, 128), param("dense1.units=16:128:log:4").values());
        assertEquals(List.of(1, 2, 3), param("training.epochs=1:3:lin:7").values());
        SweepParam sampled = param("training.learningRate=1e-4:1e-1:log");
        assertFalse(sampled.discrete());
        assertEquals(1e-4, sampled.from());
        assertEquals(0.1, sampled.to());
    }

    @Test
    void aGridIsEveryCombinationWithTheLastParameterFastest() throws Exception {
        SweepSpec spec = SweepSpec.of(List.of(param("training.learningRate=0.001,0.01"), param("dense1.units=8,16,32")), 0, 1);
        List<Map<String, Object>> trials = spec.trials();
        assertEquals(6, trials.size());
        assertEquals(Map.of("training.learningRate", 0.001, "dense1.units", 8), trials.get(0));
        assertEquals(Map.of("training.learningRate", 0.001, "dense1.units", 16), trials.get(1));
        assertEquals(Map.of("training.learningRate", 0.01, "dense1.units", 32), trials.get(5));
        assertEquals(6, new HashSet<>(trials).size());
        assertEquals("training.learningRate=0.001 dense1.units=8", SweepSpec.describe(trials.get(0)));
    }

    @Test
    void randomSearchOverListsPicksDistinctCombinationsWithinTheBudget() throws Exception {
        List<SweepParam> params = List.of(param("training.learningRate=0.001,0.01,0.1"), param("dense1.units=8,16,32"));
        List<Map<String, Object>> picked = SweepSpec.of(params, 4, 7).trials();
        assertEquals(4, picked.size());
        assertEquals(4, new HashSet<>(picked).size());
        assertTrue(SweepSpec.of(params, 0, 7).trials().containsAll(picked));
        assertEquals(picked, SweepSpec.of(params, 4, 7).trials(), "the same seed picks the same trials");
        assertFalse(picked.equals(SweepSpec.of(params, 4, 8).trials()), "another seed picks others");
        // a budget beyond the grid is the whole grid, once each
        assertEquals(9, new HashSet<>(SweepSpec.of(params, 50, 7).trials()).size());
        assertEquals(9, SweepSpec.of(params, 50, 7).trials().size());
    }

    @Test
    void randomSearchSamplesARangeOnItsScale() throws Exception {
        List<Map<String, Object>> trials = SweepSpec.of(List.of(param("training.learningRate=1e-5:1e-1:log"),
                param("dense1.units=4:64")), 400, 3).trials();
        assertEquals(400, trials.size());
        int belowMilli = 0;
        Set<Object> units = new HashSet<>();
        for (Map<String, Object> t : trials) {
            double rate = (Double) t.get("training.learningRate");
            assertTrue(rate >= 1e-5 && rate <= 1e-1, "rate " + rate);
            if (rate < 1e-3) belowMilli++;
            int u = (Integer) t.get("dense1.units");
            assertTrue(u >= 4 && u <= 64, "units " + u);
            units.add(u);
        }
        // log-uniform over four decades puts half the draws below 1e-3 (a linear draw would put 1 %)
        assertTrue(belowMilli > 150 && belowMilli < 250, belowMilli + " of 400 below 0.001");
        assertTrue(units.size() > 30, "units drawn: " + units);
    }

    @Test
    void badSpecsAreRefusedNamingThePart() {
        assertEquals("dense9.units=32,64: the network has no layer 'dense9'; its layers are input, dense1, dense2, output "
                + "(or use training.SETTING for a training setting).", refusal("dense9.units=32,64"));
        assertEquals("dense1.unit=32: dense1 (Dense) has no parameter 'unit'; its parameters are units, activation, loraRank, loraAlpha.",
                refusal("dense1.unit=32"));
        assertTrue(refusal("training.lr=0.1").startsWith("training.lr=0.1: there is no training setting 'lr'; the settings are "
                + "optimizer, learningRate,"), refusal("training.lr=0.1"));
        assertEquals("training.learningRate=0.001,20: Learning rate is 20.0; use a number above 0 and at most 10 "
                + "(try 0.001 for Adam, 0.01 for SGD).", refusal("training.learningRate=0.001,20"));
        assertEquals("dense1.units=0:64:4: Units is 0; use a whole number from 1 to 100000.", refusal("dense1.units=0:64:4"));
        assertEquals("training.optimizer=adam,adamw: Optimizer is 'adamw'; use one of adam, sgd, rmsprop.",
                refusal("training.optimizer=adam,adamw"));
        assertEquals("dense1.units=: the list of values is empty; give values such as 32,64.", refusal("dense1.units="));
        assertEquals("dense1.units=32,,64: the list has an empty value; separate values by single commas, e.g. 32,64.",
                refusal("dense1.units=32,,64"));
        assertEquals("dense1.units=3.5: Units must be a whole number, not 3.5.", refusal("dense1.units=3.5"));
        assertEquals("training.l2=0:0.1:log:3: a log range must stay above 0; start it at a small positive value such as 1e-4.",
                refusal("training.l2=0:0.1:log:3"));
        assertEquals("training.l2=0:0.1:squared:3: the scale is 'squared'; use lin or log.", refusal("training.l2=0:0.1:squared:3"));
        assertEquals("training.l2=0.1:0:3: the range runs from 0.1 down to 0; give the smaller end first.",
                refusal("training.l2=0.1:0:3"));
        assertEquals("training.optimizer=adam:sgd: Optimizer is not a number, so it takes a list, not a range; "
                + "e.g. adam,sgd,rmsprop.", refusal("training.optimizer=adam:sgd"));
        assertEquals("dense1.units=1:9:0: the count is 0; use 1 to 1000 points.", refusal("dense1.units=1:9:0"));
        assertEquals("units=32: write TARGET=VALUES, e.g. training.learningRate=0.0003,0.001 or dense1.units=32,64.",
                refusal("units=32"));
    }

    @Test
    void aGridRefusesRangesWithoutACountAndParametersGivenTwice() throws Exception {
        SweepParam sampled = param("training.learningRate=1e-4:1e-2:log");
        assertEquals("training.learningRate: a range without a count can only be sampled; add a count "
                        + "(e.g. 0.0001:0.01:log:5) for a grid, or ask for random trials.",
                assertThrows(SweepSpecException.class, () -> SweepSpec.of(List.of(sampled), 0, 1)).getMessage());
        assertEquals(5, SweepSpec.of(List.of(sampled), 5, 1).trials().size());
        assertEquals("dense1.units is given twice; give each parameter once with all its values.",
                assertThrows(SweepSpecException.class, () -> SweepSpec.of(List.of(param("dense1.units=8"),
                        param("dense1.units=16")), 0, 1)).getMessage());
        assertEquals("the random trial count is 5000; use 1 to 1000 (or none for a grid).",
                assertThrows(SweepSpecException.class, () -> SweepSpec.of(List.of(sampled), 5000, 1)).getMessage());
        assertTrue(assertThrows(SweepSpecException.class, () -> SweepSpec.of(List.of(param("dense1.units=1:1000:1000"),
                param("dense2.units=1:2:2")), 0, 1)).getMessage().startsWith("the grid has 2000 trials, more than 1000;"));
    }

    @Test
    void valuesAreShownAsWritten() {
        assertEquals("0.001", SweepParam.format(0.001));
        assertEquals("0.0003162", SweepParam.format(3.162e-4));
        assertEquals("1e-7", SweepParam.format(1e-7));
        assertEquals("2.5e7", SweepParam.format(2.5e7));
        assertEquals("0.5", SweepParam.format(0.5));
        assertEquals("10", SweepParam.format(10.0));
        assertEquals("64", SweepParam.format(64));
        assertEquals("adam", SweepParam.format("adam"));
    }
}
