package kiln.engine.train;

import kiln.engine.model.ShapeInference;
import kiln.engine.nativesupport.NativeSetup;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.nn.Optimizer;
import kiln.engine.nn.Parameters;
import kiln.engine.nn.Plan;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import org.nd4j.linalg.api.buffer.DataType;
import java.nio.file.Path;
import java.util.Random;

/**
 * What measuring the layers once per epoch costs, in batches of training: times training steps with and without
 * the measurement on random data, three rounds. Run by docs/scripts/bench-layer-measurement.sh PROJECT.
 */
public final class LayerMeasurementBench {
    public static void main(String[] a) throws Exception {
        NativeSetup.prepare();
        Project p = ProjectIO.load(Path.of(a[0]));
        NetworkSpec spec = NetworkCompiler.compile(p.graph(), ShapeInference.analyze(p.graph()));
        Parameters params = new Parameters(spec.params(), DataType.FLOAT);
        params.initialise(1);
        int batch = p.training().batchSize();
        Optimizer opt = TrainingSession.optimizerFor(p.training(), spec, params);
        try (Plan plan = new Plan(spec, params, batch, Plan.Mode.TRAIN, 1)) {
            Random r = new Random(1);
            float[] x = new float[(int) plan.input().length()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
            int u = spec.outputUnits();
            float[] t = new float[batch * u];
            for (int n = 0; n < batch; n++) t[n * u + r.nextInt(u)] = 1;
            plan.setInput(x); plan.setTarget(t);
            DynamicsProbe probe = new DynamicsProbe(spec, params);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                int steps = 50;
                for (int s = 0; s < steps; s++) { plan.forward(); plan.backward(); opt.step(1e-3); }
                double stepMs = (System.nanoTime() - t0) / 1e6 / steps;
                t0 = System.nanoTime();
                int probes = 20;
                for (int s = 0; s < probes; s++) { plan.forward(); plan.backward(); probe.beforeStep(plan); opt.step(1e-3); probe.afterStep(1); }
                double probedMs = (System.nanoTime() - t0) / 1e6 / probes;
                System.out.printf("%s: step %.2f ms, measured step %.2f ms: the measurement costs %.2f ms = %.2f batches%n", p.name(), stepMs, probedMs, probedMs - stepMs, (probedMs - stepMs) / stepMs);
            }
        }
    }
}
