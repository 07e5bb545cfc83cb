package kiln.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of shape inference over a whole graph.
 * @param order        layers in an order where every layer comes after its inputs (layers in cycles last)
 * @param nodes        per-layer result, by name
 * @param graphProblems problems of the graph as a whole (no Input, no Output, a layer that leads nowhere)
 */
public record GraphAnalysis(List<String> order, Map<String, NodeAnalysis> nodes, List<String> graphProblems) {

    public NodeAnalysis get(String name) {
        return nodes.get(name);
    }

    /** True when the graph can be trained: every layer has a shape and the graph is whole. */
    public boolean isValid() {
        return graphProblems.isEmpty() && nodes.values().stream().allMatch(NodeAnalysis::ok);
    }

    /** Every problem as one sentence each: own errors first, then graph problems (blocked layers are implied). */
    public List<String> problems() {
        List<String> own = order.stream().map(nodes::get)
                .filter(n -> n.status() == NodeAnalysis.Status.ERROR).map(NodeAnalysis::message).toList();
        return java.util.stream.Stream.concat(own.stream(), graphProblems.stream()).toList();
    }

    public Optional<String> firstProblem() {
        return problems().stream().findFirst();
    }

    public long totalParams() {
        return nodes.values().stream().mapToLong(NodeAnalysis::params).sum();
    }

    public long totalNonTrainableParams() {
        return nodes.values().stream().mapToLong(NodeAnalysis::nonTrainableParams).sum();
    }

    public long totalMultiplyAdds() {
        return nodes.values().stream().mapToLong(NodeAnalysis::multiplyAdds).sum();
    }
}
