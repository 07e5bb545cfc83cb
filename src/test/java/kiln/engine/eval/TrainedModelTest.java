package kiln.engine.eval;

import kiln.engine.data.Dataset;
import kiln.engine.project.Project;
import kiln.engine.train.Scores;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A briefly trained MNIST MLP: evaluation on the test split, single predictions and saliency. */
class TrainedModelTest {

    @TempDir
    static Path dir;
    static Project project;
    static TrainedModel model;

    @BeforeAll
    static void train() throws Exception {
        project = TrainedProjects.trainedSample("mnist-mlp", dir, 2000);
        model = TrainedModel.load(project, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
    }

    @Test
    void evaluationCoversTheWholeTestSplitAndAgreesWithTrainingsScores() {
        Evaluation e = Evaluator.evaluate(model, Progress.NONE);
        assertEquals(10_000, e.size());
        Scores scores = Scores.of(model.network(), model.test(), model.data().encoding(), Integer.MAX_VALUE);
        assertEquals(scores.accuracy(), e.accuracy(), 1e-12);
        assertTrue(e.accuracy() > 0.8, "accuracy " + e.accuracy());
        int total = Arrays.stream(e.confusion()).flatMapToInt(Arrays::stream).sum();
        assertEquals(10_000, total);
    }

    @Test
    void aSinglePredictionGoesThroughTheSamePipelineAsTheTestSplit() throws Exception {
        Dataset raw = TrainedProjects.rawTest(project, dir);
        Evaluation e = Evaluator.evaluate(model.network(), model.test().head(20), model.data().encoding(), Progress.NONE);
        Predictor predictor = new Predictor(model);
        int per = raw.sampleLength();
        for (int i = 0; i < 20; i++) {
            float[] sample = Arrays.copyOfRange(raw.features(), i * per, (i + 1) * per);
            assertArrayEquals(Arrays.copyOfRange(model.test().features(), i * per, (i + 1) * per),
                    predictor.preprocess(sample), 1e-6f, "preprocessed sample " + i);
            Predictor.Prediction p = predictor.predict(sample);
            assertArrayEquals(Arrays.copyOfRange(e.probabilities(), i * 10, i * 10 + 10), p.probabilities(), 1e-6f);
            assertEquals(e.predicted(i), p.predicted());
        }
    }

    @Test
    void saliencyPointsAtThePixelsThatMoveTheClassScore() throws Exception {
        Dataset raw = TrainedProjects.rawTest(project, dir);
        float[] sample = Arrays.copyOfRange(raw.features(), 0, raw.sampleLength());
        Predictor predictor = new Predictor(model);
        int cls = predictor.predict(sample).predicted();
        float[] map = predictor.saliency(sample, cls, Progress.NONE);
        assertEquals(784, map.length);
        assertEquals(1f, IntStream.range(0, map.length).mapToObj(i -> map[i]).max(Comparator.naturalOrder()).orElseThrow(), 1e-6f);

        // Nudging the 30 most salient pixels moves the class score more than nudging the 30 least salient ones.
        // Saliency is the gradient of the class's logit, a local measure, so the nudge is small: 25 of 255 grey levels.
        Integer[] byScore = IntStream.range(0, map.length).boxed().sorted(Comparator.comparingDouble(i -> -map[i])).toArray(Integer[]::new);
        float base = logit(predictor, sample, cls);
        double top = change(predictor, sample, Arrays.copyOfRange(byScore, 0, 30), cls, base);
        double bottom = change(predictor, sample, Arrays.copyOfRange(byScore, map.length - 30, map.length), cls, base);
        assertTrue(top > 3 * bottom, "change from the most salient pixels " + top + ", from the least " + bottom);
    }

    @Test
    void saliencyIsTheGradientOfTheClassLogit() throws Exception {
        Dataset test = model.test();
        float[] x = Arrays.copyOfRange(test.features(), 0, test.sampleLength());
        Predictor predictor = new Predictor(model);
        int cls = 3;
        float[] grad = model.network().inputGradient(x, 1, oneHot(cls));
        float step = 1e-2f;
        for (int i = 0; i < x.length; i += 7) {
            float[] up = x.clone();
            float[] down = x.clone();
            up[i] += step;
            down[i] -= step;
            double numeric = (model.network().logits(up, 1)[cls] - model.network().logits(down, 1)[cls]) / (2.0 * step);
            assertEquals(numeric, grad[i], 2e-3 + 1e-2 * Math.abs(numeric), "d logit / d pixel " + i);
        }
        float max = 0;
        for (float g : grad) max = Math.max(max, Math.abs(g));
        float[] map = predictor.saliency(TrainedProjects.rawSample(project, dir, 0), cls, Progress.NONE);
        for (int i = 0; i < map.length; i++) assertEquals(Math.abs(grad[i]) / max, map[i], 1e-5f, "map at pixel " + i);
    }

    private static float[] oneHot(int cls) {
        float[] seed = new float[10];
        seed[cls] = 1;
        return seed;
    }

    private static double change(Predictor predictor, float[] sample, Integer[] pixels, int cls, float base) {
        double sum = 0;
        for (int i : pixels) {
            float[] s = sample.clone();
            s[i] = s[i] > 127 ? s[i] - 25 : s[i] + 25;
            sum += Math.abs(logit(predictor, s, cls) - base);
        }
        return sum;
    }

    private static float logit(Predictor predictor, float[] raw, int cls) {
        return predictor.model().network().logits(predictor.preprocess(raw), 1)[cls];
    }

    @Test
    void evaluationStopsWhenCancelled() {
        int[] updates = {0};
        Progress cancelAfterFirstBatch = new Progress() {
            @Override public void update(double fraction, String message) { updates[0]++; }
            @Override public boolean isCancelled() { return updates[0] > 0; }
        };
        assertThrows(Progress.CancelledException.class, () -> Evaluator.evaluate(model, cancelAfterFirstBatch));
        assertEquals(1, updates[0], "stopped before the second batch");
    }

    @Test
    void aRunIsRefusedWhenTheSplitChangedSinceTraining() throws Exception {
        Project changed = kiln.engine.project.ProjectIO.load(dir);
        var split = changed.split();
        changed.setSplit(new kiln.engine.data.SplitSettings(split.validationFraction(), split.testFraction(), split.seed() + 1,
                split.stratified()));
        TrainedModel.UnavailableException e = assertThrows(TrainedModel.UnavailableException.class,
                () -> TrainedModel.load(changed, dir, null, TrainedModel.Weights.BEST, Progress.NONE));
        assertTrue(e.getMessage().startsWith("The data pipeline, split or data has changed since run-1 was trained"), e.getMessage());
    }

    @Test
    void noRunAndUnknownRunAreExplained() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("untrained"));
        TrainedModel.UnavailableException none = assertThrows(TrainedModel.UnavailableException.class,
                () -> TrainedModel.load(project, empty, null, TrainedModel.Weights.BEST, Progress.NONE));
        assertTrue(none.getMessage().contains("has no trained run yet; train it first"), none.getMessage());
        TrainedModel.UnavailableException unknown = assertThrows(TrainedModel.UnavailableException.class,
                () -> TrainedModel.load(project, dir, "run-9", TrainedModel.Weights.BEST, Progress.NONE));
        assertTrue(unknown.getMessage().contains("There is no run 'run-9'") && unknown.getMessage().contains("trained runs: run-1"),
                unknown.getMessage());
    }

    @Test
    void aRunOfAnotherNetworkIsRefusedNamingTheLayer() throws Exception {
        Project changed = kiln.engine.project.ProjectIO.load(dir);
        var node = changed.graph().node("dense1");
        changed.graph().replace(node.withParams(node.params().with(node.type(), "units", 99)));
        TrainedModel.UnavailableException e = assertThrows(TrainedModel.UnavailableException.class,
                () -> TrainedModel.load(changed, dir, null, TrainedModel.Weights.BEST, Progress.NONE));
        assertTrue(e.getMessage().contains("run-1 was trained on a different network: dense1 (Dense)"), e.getMessage());
    }
}
