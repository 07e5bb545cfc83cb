package kiln.engine.train;

import kiln.engine.catalog.Dl4jNode;
import kiln.engine.model.Edge;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.model.ShapeInference;
import kiln.engine.catalog.layers.Output;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a valid Kiln graph and training settings into a Deeplearning4j ComputationGraph. */
public final class GraphCompiler {

    private GraphCompiler() { }

    /** Thrown for a graph or settings that cannot be trained; the message is for the user. */
    public static final class CompileException extends Exception {
        public CompileException(String message) {
            super(message);
        }
    }

    public static ComputationGraph compile(ModelGraph graph, TrainingSettings settings) throws CompileException {
        ComputationGraph net = new ComputationGraph(configure(graph, settings));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configure(ModelGraph graph, TrainingSettings settings)
            throws CompileException {
        GraphAnalysis analysis = ShapeInference.analyze(graph);
        if (!analysis.isValid()) {
            throw new CompileException("The network cannot be trained yet: " + analysis.firstProblem().orElseThrow());
        }
        List<String> settingProblems = settings.problems();
        if (!settingProblems.isEmpty()) throw new CompileException(settingProblems.get(0));

        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater(settings))
                .l2(settings.l2())
                .graphBuilder();
        List<InputType> inputTypes = new ArrayList<>();
        Map<String, Long> declaredNIn = new HashMap<>();
        String output = null;
        for (String name : analysis.order()) {
            Node node = graph.node(name);
            NodeAnalysis na = analysis.get(name);
            String[] from = graph.inputsOf(name).stream().map(Edge::from).toArray(String[]::new);
            Dl4jNode mapped = node.type().toDl4j(na.inputShapes(), node.params());
            if (mapped instanceof Dl4jNode.Input in) {
                b.addInputs(name);
                inputTypes.add(in.type());
            } else if (mapped instanceof Dl4jNode.LayerNode l) {
                if (l.layer() instanceof FeedForwardLayer ff) declaredNIn.put(name, ff.getNIn());
                b.addLayer(name, l.layer(), from);
            } else if (mapped instanceof Dl4jNode.Vertex v) {
                b.addVertex(name, v.vertex(), from);
            }
            if (node.typeId().equals(Output.ID)) output = name;
        }
        b.setOutputs(output);
        b.setInputTypes(inputTypes.toArray(InputType[]::new));
        ComputationGraphConfiguration conf = b.build();
        restoreDeclaredInputSizes(conf, declaredNIn);
        return conf;
    }

    /**
     * The catalog's input sizes are authoritative. DL4J's input-type inference overwrites some of them wrongly:
     * an Embedding fed token ids (one feature per step) would get 1 instead of the vocabulary size.
     */
    private static void restoreDeclaredInputSizes(ComputationGraphConfiguration conf, Map<String, Long> declared) {
        declared.forEach((name, nIn) -> {
            if (conf.getVertices().get(name) instanceof LayerVertex v
                    && v.getLayerConf().getLayer() instanceof FeedForwardLayer ff && nIn > 0 && ff.getNIn() != nIn) {
                ff.setNIn(nIn);
            }
        });
    }

    static IUpdater updater(TrainingSettings s) {
        ISchedule lr = schedule(s);
        return switch (s.optimizer()) {
            case "adam" -> new Adam(lr);
            case "rmsprop" -> new RmsProp(lr);
            default -> s.momentum() > 0 ? new Nesterovs(lr, s.momentum()) : new Sgd(lr);
        };
    }

    /** Learning rate per epoch: constant, stepped, or cosine-annealed towards zero over the run's epochs. */
    static ISchedule schedule(TrainingSettings s) {
        return switch (s.schedule()) {
            case "step" -> new StepSchedule(ScheduleType.EPOCH, s.learningRate(), s.stepFactor(), s.stepEpochs());
            case "cosine" -> {
                Map<Integer, Double> perEpoch = new HashMap<>();
                for (int e = 0; e < s.epochs(); e++) {
                    perEpoch.put(e, s.learningRate() * 0.5 * (1 + Math.cos(Math.PI * e / s.epochs())));
                }
                yield new MapSchedule(ScheduleType.EPOCH, perEpoch);
            }
            default -> new MapSchedule(ScheduleType.EPOCH, Map.of(0, s.learningRate()));
        };
    }
}
