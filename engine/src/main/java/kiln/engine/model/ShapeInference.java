package kiln.engine.model;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.ShapeResult;
import kiln.engine.catalog.SuggestedFix;
import kiln.engine.shape.TensorShape;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Pure shape inference: gives every layer of any graph, valid or not, a shape or a plain-words problem. */
public final class ShapeInference {

    private ShapeInference() { }

    public static GraphAnalysis analyze(ModelGraph graph) {
        List<String> order = topologicalOrder(graph);
        Set<String> inCycle = new LinkedHashSet<>();
        for (Node n : graph.nodes()) if (!order.contains(n.name())) inCycle.add(n.name());

        Map<String, NodeAnalysis> result = new LinkedHashMap<>();
        for (String name : order) result.put(name, analyzeNode(graph, graph.node(name), result));
        for (String name : inCycle) {
            Node n = graph.node(name);
            result.put(name, NodeAnalysis.error(name, label(n) + ": is part of a cycle ("
                    + String.join(" → ", cyclePath(graph, name, inCycle))
                    + "); data must flow one way, so remove one of these connections", Optional.empty()));
        }
        List<String> fullOrder = new ArrayList<>(order);
        fullOrder.addAll(inCycle);
        return new GraphAnalysis(List.copyOf(fullOrder), result, graphProblems(graph));
    }

    static String label(Node n) {
        LayerType t = LayerCatalog.find(n.typeId()).orElse(null);
        return n.name() + " (" + (t == null ? n.typeId() : t.displayName()) + ")";
    }

    private static NodeAnalysis analyzeNode(ModelGraph graph, Node node, Map<String, NodeAnalysis> done) {
        LayerType type = node.type();
        List<Edge> in = graph.inputsOf(node.name());
        String label = label(node);
        if (in.size() < type.minInputs()) {
            String need = type.minInputs() == 1 ? "an input" : "at least " + type.minInputs() + " inputs";
            return NodeAnalysis.error(node.name(), label + ": needs " + need + " but "
                    + (in.isEmpty() ? "nothing is connected" : "only " + in.size() + " is connected")
                    + "; drag a connection from another layer's output to it", Optional.empty());
        }
        if (in.size() > type.maxInputs()) {
            String most = type.maxInputs() == 0 ? "no inputs" : type.maxInputs() == 1 ? "one input" : type.maxInputs() + " inputs";
            return NodeAnalysis.error(node.name(), label + ": takes " + most + " but " + in.size()
                    + " are connected; remove the extra connections"
                    + (type.maxInputs() == 1 ? ", or join the branches first with Add or Concat" : ""), Optional.empty());
        }
        List<TensorShape> shapes = new ArrayList<>();
        for (Edge e : in) {
            NodeAnalysis source = done.get(e.from());
            if (source == null || !source.ok()) {
                return NodeAnalysis.blocked(node.name(), label + ": waits for " + e.from()
                        + ", which has a problem; fix that layer first");
            }
            shapes.add(source.shape());
        }
        ShapeResult r = type.outputShape(shapes, node.params());
        if (r instanceof ShapeResult.Problem p) {
            Optional<SuggestedFix> fix = p.fix().map(f -> new SuggestedFix(f.insertTypeId(),
                    f.description() + " before " + node.name()));
            return NodeAnalysis.error(node.name(), label + ": " + p.problem(), fix);
        }
        TensorShape out = ((ShapeResult.Ok) r).shape();
        long params = type.paramCount(shapes, node.params());
        // A frozen layer learns none of its weights.
        long nonTrainable = node.trainable() ? type.nonTrainableParamCount(shapes, node.params()) : params;
        return NodeAnalysis.ok(node.name(), out, shapes, params, nonTrainable, type.multiplyAdds(shapes, node.params(), out));
    }

    /** Kahn's algorithm in graph order, so the result is stable; layers in cycles are left out. */
    static List<String> topologicalOrder(ModelGraph graph) {
        Map<String, Integer> indegree = new HashMap<>();
        for (Node n : graph.nodes()) indegree.put(n.name(), 0);
        for (Edge e : graph.edges()) indegree.merge(e.to(), 1, Integer::sum);
        Deque<String> ready = new ArrayDeque<>();
        for (Node n : graph.nodes()) if (indegree.get(n.name()) == 0) ready.add(n.name());
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(name);
            for (Edge e : graph.outputsOf(name)) {
                if (indegree.merge(e.to(), -1, Integer::sum) == 0) ready.add(e.to());
            }
        }
        return order;
    }

    /** A path around a cycle that passes through the given layer, for the error message. */
    private static List<String> cyclePath(ModelGraph graph, String start, Set<String> inCycle) {
        List<String> path = new ArrayList<>(List.of(start));
        Set<String> seen = new LinkedHashSet<>(path);
        String current = start;
        while (true) {
            String next = graph.outputsOf(current).stream().map(Edge::to).filter(inCycle::contains)
                    .filter(t -> t.equals(start) || !seen.contains(t)).findFirst().orElse(null);
            if (next == null) return path;
            path.add(next);
            if (next.equals(start)) return path;
            seen.add(next);
            current = next;
        }
    }

    private static List<String> graphProblems(ModelGraph graph) {
        List<String> problems = new ArrayList<>();
        List<Node> inputs = graph.nodes().stream().filter(n -> n.type().role() == LayerType.Role.INPUT).toList();
        List<Node> outputs = graph.nodes().stream().filter(n -> n.type().role() == LayerType.Role.OUTPUT).toList();
        if (inputs.isEmpty()) problems.add("The network has no Input layer; drag one from the palette to start.");
        if (inputs.size() > 1) {
            problems.add("The network has " + inputs.size() + " Input layers but the data gives one sample shape; "
                    + "keep one Input and branch from it.");
        }
        if (outputs.isEmpty()) problems.add("The network has no Output layer; add one at the end to say what it predicts.");
        if (outputs.size() > 1) {
            problems.add("The network has " + outputs.size() + " Output layers; Kiln trains one, so remove the others.");
        }
        for (Node n : graph.nodes()) {
            if (n.type().role() != LayerType.Role.OUTPUT && graph.outputsOf(n.name()).isEmpty()) {
                problems.add(label(n) + ": its output goes nowhere; connect it to a later layer or delete it.");
            }
        }
        return problems;
    }
}
