package kiln.engine.export;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import kiln.engine.data.Dataset;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.Project;
import kiln.engine.train.Batches;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each sample network and a residual network, trained briefly, exported to ONNX and run in ONNX Runtime
 * on 100 raw test inputs: the same probabilities as Kiln's own (preprocessing folded in) and the same classes.
 */
class OnnxRoundTripTest {

    static final int SAMPLES = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mnist-cnn", "mnist-mlp", "fashion-mnist-cnn"})
    void sampleNetworkRunsInOnnxRuntimeLikeInKiln(String sample) throws Exception {
        Project p = TrainedProjects.trainedSample(sample, dir, 1000);
        roundTrip(p);
    }

    @Test
    void residualNetworkWithAddConcatAndBatchNormRunsInOnnxRuntimeLikeInKiln() throws Exception {
        Project p = TrainedProjects.residual(dir);
        TrainedProjects.train(p, dir, 1000);
        roundTrip(p);
    }

    @Test
    void aFineTunedModelWithAFrozenLayerAndLoraAdaptersRunsInOnnxRuntimeLikeInKiln() throws Exception {
        Project p = TrainedProjects.fineTuned(dir);
        TrainedProjects.train(p, dir, 1000);
        TrainedModel model = TrainedModel.load(p, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
        float[] b = model.weightsOf("dense2").values("lora_B");
        assertTrue(java.util.stream.IntStream.range(0, b.length).anyMatch(i -> b[i] != 0), "the adapters trained");
        roundTrip(p);
    }

    private void roundTrip(Project p) throws Exception {
        TrainedModel model = TrainedModel.load(p, dir, null, TrainedModel.Weights.BEST, Progress.NONE);
        Path file = dir.resolve("out/model.onnx");
        OnnxExporter.export(model, file, Progress.NONE);

        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(8, proto.getIrVersion());
        assertEquals(13, proto.getOpsetImport(0).getVersion());
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertTrue(meta.get("kiln.preprocessing").startsWith("folded"), meta.get("kiln.preprocessing"));
        assertEquals(String.join("\n", model.classNames()), meta.get("kiln.classes"));

        Dataset raw = TrainedProjects.rawTest(p, dir).head(SAMPLES);
        int[] order = Batches.identity(SAMPLES);
        float[] kiln = model.network().predict(
                Batches.features(model.test(), order, 0, SAMPLES, new float[SAMPLES * model.test().sampleLength()]), SAMPLES);
        float[] onnx;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(file), new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw.features()), Batches.shape(raw.sampleShape(), SAMPLES));
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, in))) {
            float[][] out = (float[][]) result.get(0).getValue();
            int k = out[0].length;
            onnx = new float[SAMPLES * k];
            for (int i = 0; i < SAMPLES; i++) System.arraycopy(out[i], 0, onnx, i * k, k);
        }
        assertEquals(kiln.length, onnx.length);
        double maxDiff = 0;
        for (int i = 0; i < kiln.length; i++) maxDiff = Math.max(maxDiff, Math.abs(kiln[i] - onnx[i]));
        System.out.println(p.name() + ": max |Kiln − ONNX Runtime| = " + maxDiff);
        assertTrue(maxDiff <= 1e-4, "max |Kiln − ONNX Runtime| = " + maxDiff);
        int k = kiln.length / SAMPLES;
        for (int i = 0; i < SAMPLES; i++) {
            assertEquals(argmax(kiln, i, k), argmax(onnx, i, k), "class of test sample " + i);
        }
    }

    static int argmax(float[] v, int row, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) if (v[row * k + c] > v[row * k + best]) best = c;
        return best;
    }
}
