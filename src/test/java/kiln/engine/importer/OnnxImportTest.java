package kiln.engine.importer;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.data.pipeline.FixedNormalizeStep;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.eval.TrainedModel;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.export.OnnxExporter;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelSummary;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.Network;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Parameters;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.train.NetworkCompiler;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models made by PyTorch's own torch.onnx.export import into Kiln with PyTorch's parameter count, and the imported
 * project (as written to disk, its weights read back from run-1) computes what ONNX Runtime computes on the .onnx
 * file; a Kiln export imports back to the same outputs; every kind of bad file is refused with nothing written.
 */
class OnnxImportTest {

    static final int SAMPLES = 16;

    @TempDir
    Path dir;

    @Test
    void aPyTorchCnnWithBatchNormAndAResidualAddImportsAndComputesWhatOnnxRuntimeComputes() throws Exception {
        Path onnx = TorchModels.folder().resolve("cnn.onnx");
        Project p = importAndLoad(onnx);
        assertEquals(TorchModels.torchParameters("cnn"), ModelSummary.of(p.graph()).totalParams(), "PyTorch's count");
        assertTrue(p.graph().nodes().stream().anyMatch(n -> n.typeId().equals("batch_norm")));
        assertTrue(p.graph().nodes().stream().anyMatch(n -> n.typeId().equals("add")));
        // PyTorch's head gives raw scores; Kiln's Output gives their softmax.
        compare(onnx, p, OnnxImportTest::softmax);
    }

    @Test
    void aPyTorchMlpWithMatMulAddAndActivationsImportsAndComputesWhatOnnxRuntimeComputes() throws Exception {
        Path onnx = TorchModels.folder().resolve("mlp.onnx");
        Project p = importAndLoad(onnx);
        assertEquals(TorchModels.torchParameters("mlp"), ModelSummary.of(p.graph()).totalParams(), "PyTorch's count");
        assertEquals("relu", p.graph().node("dense_1").params().getString("activation"), "Relu fused into its layer");
        assertEquals(0.2, p.graph().nodes().stream().filter(n -> n.typeId().equals("activation")).findFirst()
                .orElseThrow().params().getDouble("alpha"), 1e-6, "LeakyRelu(0.2) kept as its own layer");
        compare(onnx, p, UnaryOperator.identity());
    }

    @Test
    void aKilnOnnxExportImportsBackWithItsPixelScalingAsThePipelineAndTheSameOutputs() throws Exception {
        Path source = dir.resolve("source");
        Project p = TrainedProjects.trainedSample("mnist-cnn", source, 300);
        TrainedModel model = TrainedModel.load(p, source, null, TrainedModel.Weights.BEST, Progress.NONE);
        Path onnx = dir.resolve("mnist-cnn.onnx");
        OnnxExporter.export(model, onnx, Progress.NONE);

        Project back = importAndLoad(onnx);
        assertEquals(1, back.pipeline().steps().size(), "the folded Mul and Add became one step");
        assertEquals(ScaleStep.ID, back.pipeline().steps().get(0).type());
        assertEquals(ScaleStep.PIXELS_TO_UNIT, ((Number) back.pipeline().steps().get(0).params().get("factor")).doubleValue(), 1e-9);
        assertSameNetwork(model, back);
    }

    @Test
    void aKilnExportWithScaleAndStandardizeImportsWithThemAsOneFixedNormalizeAndPerPixelValuesAreRefused() throws Exception {
        Path source = dir.resolve("source");
        Files.createDirectories(source);
        Project p = TrainedProjects.residual(source);
        TrainedProjects.train(p, source, 300);
        TrainedModel model = TrainedModel.load(p, source, null, TrainedModel.Weights.BEST, Progress.NONE);
        OnnxMl.ModelProto exported = OnnxExporter.build(model, Progress.NONE);
        assertEquals(List.of("Mul", "Add"), List.of(exported.getGraph().getNode(0).getOpType(),
                exported.getGraph().getNode(1).getOpType()), "the folded preprocessing comes first");
        String scaleName = exported.getGraph().getNode(0).getInput(1);
        float scale = floats(exported, scaleName)[0];
        float shift = floats(exported, exported.getGraph().getNode(1).getInput(1))[0];

        Project back = importAndLoad(write("residual.onnx", exported));
        assertEquals(1, back.pipeline().steps().size());
        PipelineStep step = back.pipeline().steps().get(0);
        assertEquals(FixedNormalizeStep.ID, step.type());
        double std = ((Number) step.params().get("std")).doubleValue();
        double mean = ((Number) step.params().get("mean")).doubleValue();
        assertEquals(1 / scale, std, 1e-6 * std, "(x − mean) / std is x × scale + shift");
        assertEquals(-shift / scale, mean, 1e-6 * Math.abs(mean) + 1e-9);
        assertSameNetwork(model, back);

        OnnxMl.ModelProto.Builder perPixel = exported.toBuilder();
        OnnxMl.GraphProto.Builder g = perPixel.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            if (!g.getInitializer(i).getName().equals(scaleName)) continue;
            float[] v = floats(exported, scaleName);
            v[0] *= 2;
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(v);
            g.setInitializer(i, g.getInitializer(i).toBuilder().clearFloatData()
                    .setRawData(com.google.protobuf.ByteString.copyFrom(bytes.array())));
        }
        assertRefused(write("per-pixel.onnx", perPixel.build()), "applies a different Mul to each input value");
    }

    private static float[] floats(OnnxMl.ModelProto m, String initializer) throws ImportException {
        OnnxMl.TensorProto t = m.getGraph().getInitializerList().stream().filter(x -> x.getName().equals(initializer))
                .findFirst().orElseThrow();
        return OnnxModelReader.floats(t, initializer);
    }

    /** Same parameter count and, on the same (preprocessed) inputs, the same outputs as the model that was exported. */
    private void assertSameNetwork(TrainedModel model, Project back) throws Exception {
        assertEquals(ModelSummary.of(model.project().graph()).totalParams(), ModelSummary.of(back.graph()).totalParams());
        float[] x = inputs(Math.toIntExact(model.inputShape().elementCount()), 1);
        float[] original = model.network().predict(x, SAMPLES);
        float[] imported = network(back, dir.resolve("project")).predict(x, SAMPLES);
        double diff = maxDiff(original, imported);
        System.out.println(model.project().name() + ", Kiln export → import: max |before − after| = " + diff);
        assertTrue(diff <= 1e-6, "max difference " + diff);
    }

    @Test
    void badFilesAreRefusedInPlainWordsAndNothingIsWritten() throws Exception {
        Path mlp = TorchModels.folder().resolve("mlp.onnx");
        byte[] whole = Files.readAllBytes(mlp);
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(whole);

        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertRefused(truncated, "truncated");

        assertRefused(TorchModels.folder().resolve("external.onnx"), "external data file");
        assertRefused(TorchModels.folder().resolve("unsupported.onnx"), "node '/Sin' (Sin)");

        OnnxMl.ModelProto.Builder dynamic = proto.toBuilder();
        dynamic.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .setDim(2, OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("height"));
        assertRefused(write("dynamic.onnx", dynamic.build()), "dynamic size in dimension 2 ('height')");

        for (int opset : new int[] {10, 19}) {
            OnnxMl.ModelProto.Builder b = proto.toBuilder();
            b.setOpsetImport(0, b.getOpsetImport(0).toBuilder().setVersion(opset));
            assertRefused(write("opset" + opset + ".onnx", b.build()), "opset " + opset + "; Kiln imports opsets 11 to 18");
        }

        OnnxMl.ModelProto.Builder shortWeights = proto.toBuilder();
        OnnxMl.TensorProto w = shortWeights.getGraph().getInitializer(0);
        shortWeights.getGraphBuilder().setInitializer(0, w.toBuilder().setRawData(w.getRawData().substring(0, 40)));
        assertRefused(write("short.onnx", shortWeights.build()), "holds 10");

        OnnxMl.ModelProto.Builder padded = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(TorchModels.folder()
                .resolve("cnn.onnx"))).toBuilder();
        OnnxMl.NodeProto.Builder conv = padded.getGraphBuilder().getNodeBuilder(0);
        for (int i = 0; i < conv.getAttributeCount(); i++) {
            if (conv.getAttribute(i).getName().equals("pads")) {
                conv.setAttribute(i, conv.getAttribute(i).toBuilder().clearInts().addAllInts(List.of(2L, 2L, 0L, 0L)));
            }
        }
        assertRefused(write("pads.onnx", padded.build()), "node '/stem/Conv' (Conv) pads [2, 2, 0, 0]");
    }

    private Path write(String name, OnnxMl.ModelProto m) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, m.toByteArray());
        return f;
    }

    private void assertRefused(Path onnx, String expected) throws Exception {
        Path out = dir.resolve("refused");
        ImportException e = assertThrows(ImportException.class, () -> {
            OnnxImporter.Imported i = OnnxImporter.convert(onnx, OnnxImporter.DataChoice.defaults());
            OnnxImporter.write(i, out);
        });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(Files.exists(out), "nothing written for " + onnx.getFileName());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().contains("importing")), "no temporary folder left");
        }
    }

    /** Imports into dir/project and loads the project back from disk. */
    private Project importAndLoad(Path onnx) throws Exception {
        Path out = dir.resolve("project");
        OnnxImporter.write(OnnxImporter.convert(onnx, OnnxImporter.DataChoice.defaults()), out);
        Project p = ProjectIO.load(out);
        assertTrue(ShapeInference.analyze(p.graph()).isValid());
        return p;
    }

    /** The project's network with the weights of its run-1, read back from the file. */
    private static Network network(Project p, Path folder) throws Exception {
        GraphAnalysis analysis = ShapeInference.analyze(p.graph());
        NetworkSpec spec = NetworkCompiler.compile(p.graph(), analysis);
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        RunFolder run = TrainedModel.chooseRun(folder, OnnxImporter.RUN);
        run.loadWeights(run.checkpoint(), spec, params);
        return new Network(spec, params);
    }

    private void compare(Path onnx, Project p, UnaryOperator<float[]> onnxToKiln) throws Exception {
        long[] dims = OnnxImporterShapes.inputDims(onnx);
        int per = Math.toIntExact(dims[1] * (dims.length == 4 ? dims[2] * dims[3] : 1));
        float[] x = inputs(per, 7);
        float[] kiln = network(p, dir.resolve("project")).predict(x, SAMPLES);
        int k = kiln.length / SAMPLES;
        float[] ort = new float[kiln.length];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions())) {
            String name = session.getInputNames().iterator().next();
            for (int i = 0; i < SAMPLES; i++) {
                float[] one = java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per);
                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), dims);
                     OrtSession.Result r = session.run(Map.of(name, in))) {
                    float[] row = onnxToKiln.apply(((float[][]) r.get(0).getValue())[0]);
                    System.arraycopy(row, 0, ort, i * k, k);
                }
            }
        }
        double diff = maxDiff(kiln, ort);
        System.out.println(onnx.getFileName() + ": max |Kiln − ONNX Runtime| = " + diff);
        assertTrue(diff <= 1e-4, "max |Kiln − ONNX Runtime| = " + diff);
    }

    /** Seeded inputs in 0–1, the range the models see after Kiln's pixel scaling. */
    private static float[] inputs(int perSample, long seed) {
        Random r = new Random(seed);
        float[] x = new float[SAMPLES * perSample];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        return x;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += e[i] = Math.exp(z[i] - max);
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) out[i] = (float) (e[i] / sum);
        return out;
    }

    /** The model's input dimensions with a batch of 1. */
    private static final class OnnxImporterShapes {
        static long[] inputDims(Path onnx) throws Exception {
            var dims = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph().getInput(0).getType()
                    .getTensorType().getShape().getDimList();
            long[] out = new long[dims.size()];
            out[0] = 1;
            for (int i = 1; i < out.length; i++) out[i] = dims.get(i).getDimValue();
            return out;
        }
    }
}
