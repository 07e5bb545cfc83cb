package kiln.engine.cli;

import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.train.BenchmarkNetworks;
import kiln.engine.train.NetworkCompiler;
import kiln.engine.train.ThroughputBenchmark;
import kiln.engine.train.TrainingSession;
import kiln.engine.util.Progress;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training throughput: the bundled Fashion-MNIST, batch 64, Adam 1e-3, pixels scaled",
                "to [0, 1], timed batches after warm-up. Prints a RESULT line with img_per_s (docs/performance.md)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NET", description = "lenet, keras or mlp")
    String net;

    @Option(names = "--batches", description = "Timed batches (default ${DEFAULT-VALUE}).", defaultValue = "300")
    int batches;

    @Option(names = "--warmup", description = "Warm-up batches (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int warmup;

    @Option(names = "--threads", description = "Native threads (default ${DEFAULT-VALUE}, as the reference).", defaultValue = "2")
    int threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelGraph graph = BenchmarkNetworks.get(net).orElseThrow(() ->
                new KilnCommand.UserError("unknown network '" + net + "'; use lenet, keras or mlp"));
        if (batches < 1 || warmup < 0 || threads < 1) {
            throw new KilnCommand.UserError("--batches and --threads must be at least 1 and --warmup at least 0");
        }
        // Same data for every network: Fashion-MNIST, all 60,000 training images, pixels scaled to [0, 1].
        Project p = new Project("bench " + net, graph, new DataSourceSpec.Bundled("fashion-mnist"), Pipeline.scalePixels(),
                new SplitSettings(0, 0, 42, false),
                new TrainingSettings("adam", 1e-3, 0, "constant", 1, 1, 64, 1, 0, 0, 42, threads));
        Path folder = Path.of("").toAbsolutePath();
        TrainingSession.PreparedData data;
        try {
            data = TrainingSession.prepareData(p, folder, 0, Progress.NONE);
        } catch (TrainingSession.SetupException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        NativeSetup.useThreads(threads);
        NetworkSpec network = NetworkCompiler.compile(p.graph(), ShapeInference.analyze(p.graph()));
        kiln.engine.nn.Parameters params = new kiln.engine.nn.Parameters(network.params(), DataType.FLOAT);
        params.initialise(42);
        Optimizer adam = new Optimizer(params, Optimizer.Kind.ADAM, 0, 0);
        ThroughputBenchmark.Result r = ThroughputBenchmark.run(network, params, adam, 1e-3, data.splits().train(),
                data.encoding(), 64, warmup, batches, 42);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "RESULT fw=kiln net=%s params=%d mode=fixed%d+warm%d batches=%d images=%d train_s=%.2f img_per_s=%.1f "
                        + "median_batch_ms=%.2f median_img_per_s=%.1f last_loss=%.4f threads=%d%n",
                net, params.learnedCount(), batches, warmup, r.batches(), r.images(), r.seconds(), r.imagesPerSecond(),
                r.medianBatchMs(), 64 / r.medianBatchMs() * 1000, r.lastLoss(), threads);
        return 0;
    }
}
