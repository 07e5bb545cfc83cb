package kiln.engine.train;

import kiln.engine.catalog.LowRankAdapters;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.LayerTraining;
import kiln.engine.nn.NetworkSpec;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.TrainingEvent;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The two-phase fine-tuning recipe ({@link TrainingSettings#headEpochs()}): the network of the head epochs, in
 * which every layer loaded from a trained model is frozen, and the whole network trained after them.
 * @param frozen the layers frozen in the head epochs, in graph order
 * @param head   the layers that train in the head epochs (new layers, and loaded Dense layers for their new
 *               LoRA adapters), in graph order
 */
record HeadFirst(NetworkSpec headSpec, NetworkSpec fullSpec, List<String> frozen, List<String> head) {

    /**
     * The recipe's networks for a graph whose {@code loaded} layers start from a trained model; empty when the
     * settings do not ask for it.
     * @throws TrainingSession.SetupException when no layer is loaded, so there would be no head to train first
     */
    static java.util.Optional<HeadFirst> of(ModelGraph graph, NetworkSpec fullSpec, TrainingSettings settings,
                                            Collection<String> loaded) throws TrainingSession.SetupException {
        if (settings.headEpochs() == 0) return java.util.Optional.empty();
        List<Node> withWeights = graph.nodes().stream()
                .filter(n -> fullSpec.params().stream().anyMatch(p -> p.name().startsWith(n.name() + ".")))
                .toList();
        List<String> frozen = withWeights.stream()
                .filter(n -> loaded.contains(n.name()) && !hasAdapters(n))
                .map(Node::name).toList();
        List<String> head = withWeights.stream().map(Node::name)
                .filter(n -> !frozen.contains(n) && graph.node(n).trainable()).toList();
        if (frozen.isEmpty()) {
            throw new TrainingSession.SetupException("Head-first epochs is " + settings.headEpochs() + ", but no layer "
                    + "starts from a trained model, so every layer is new and there is no head to train first; start "
                    + "from a trained model (a layer's weightsFrom, or kiln train --init-from) or set head-first epochs to 0.");
        }
        if (head.isEmpty()) {
            throw new TrainingSession.SetupException("Head-first epochs is " + settings.headEpochs() + ", but every "
                    + "layer with weights starts from the trained model, so nothing is new to train first; add or rename "
                    + "a layer (e.g. a new Output for this data) or set head-first epochs to 0.");
        }
        ModelGraph headGraph = graph.copy();
        for (String name : frozen) {
            Node n = headGraph.node(name);
            headGraph.replace(n.withTraining(new LayerTraining(false, n.training().rateMultiplier(), false)));
        }
        NetworkSpec headSpec = NetworkCompiler.compile(headGraph, ShapeInference.analyze(headGraph));
        return java.util.Optional.of(new HeadFirst(headSpec, fullSpec, frozen, head));
    }

    private static boolean hasAdapters(Node n) {
        return n.type().params().stream().anyMatch(p -> p.name().equals(LowRankAdapters.RANK))
                && LowRankAdapters.rank(n.params()) > 0;
    }

    TrainingEvent.PhaseChanged headPhase(int epoch, TrainingSettings s) {
        String last = s.headEpochs() == 1 ? "epoch 1" : "epochs 1–" + s.headEpochs();
        return new TrainingEvent.PhaseChanged(epoch, true, "Head first (" + last + "): only " + String.join(", ", head)
                + " train" + (head.size() == 1 ? "s" : "") + "; " + String.join(", ", frozen) + " stay"
                + (frozen.size() == 1 ? "s" : "") + " frozen.");
    }

    TrainingEvent.PhaseChanged fineTunePhase(int epoch, TrainingSettings s) {
        return new TrainingEvent.PhaseChanged(epoch, false, String.format(Locale.ROOT,
                "Fine-tuning from epoch %d: every trainable layer trains, at the learning rate × %s.", epoch,
                new java.math.BigDecimal(Double.toString(s.fineTuneRateFactor())).stripTrailingZeros().toPlainString()));
    }
}
