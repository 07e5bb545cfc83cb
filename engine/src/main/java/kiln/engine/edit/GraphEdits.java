package kiln.engine.edit;

import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.catalog.SuggestedFix;
import kiln.engine.model.Edge;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.NodeAnalysis;
import kiln.engine.model.ShapeInference;
import kiln.engine.nn.LayerTraining;
import kiln.engine.params.ParamSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The editor's graph edits as commands, each named for the Edit menu ("Delete conv2", "Connect conv1 → pool1").
 * Every factory checks the edit first and throws IllegalArgumentException with the reason when it cannot be
 * made; nothing changes until the command is executed.
 */
public final class GraphEdits {

    /** A layer position on the canvas. */
    public record Position(double x, double y) { }

    /** Layers and the connections among them, as copied to the clipboard. */
    public record Fragment(List<Node> nodes, List<Edge> edges) {
        public Fragment {
            nodes = List.copyOf(nodes);
            edges = List.copyOf(edges);
        }

        /** The named layers of a graph with the connections that run between them. */
        public static Fragment of(ModelGraph graph, Collection<String> names) {
            Set<String> keep = new LinkedHashSet<>(names);
            List<Node> nodes = graph.nodes().stream().filter(n -> keep.contains(n.name())).toList();
            List<Edge> edges = graph.edges().stream()
                    .filter(e -> keep.contains(e.from()) && keep.contains(e.to())).toList();
            return new Fragment(nodes, edges);
        }

        public boolean isEmpty() {
            return nodes.isEmpty();
        }
    }

    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)(\\d+)$");

    private GraphEdits() { }

    /** Adds a layer with default parameters and a fresh name ("Add Dense dense_1"). */
    public static GraphEdit addNode(ModelGraph graph, LayerType type, double x, double y) {
        String name = graph.freshName(type);
        return new GraphEdit("Add " + type.displayName() + " " + name, graph,
                g -> g.add(name, type, Params.defaults(type), x, y));
    }

    /**
     * Adds a layer fed by an existing one ("Add Dense dense_1 after conv1"): the double-click in the palette.
     * The new layer goes to (x, y); the canvas picks a free place beside the one it follows.
     */
    public static GraphEdit appendAfter(ModelGraph graph, LayerType type, String after, double x, double y) {
        Node source = graph.node(after);
        String name = graph.freshName(type);
        checkConnect(source, type);
        return new GraphEdit("Add " + type.displayName() + " " + name + " after " + after, graph, g -> {
            g.add(name, type, Params.defaults(type), x, y);
            g.connect(new Edge(after, name, 0));
        });
    }

    private static void checkConnect(Node source, LayerType target) {
        if (target.maxInputs() == 0) {
            throw new IllegalArgumentException(target.displayName() + " takes no input, so it cannot follow "
                    + source.name());
        }
    }

    /** Removes layers with every connection touching them, as one step ("Delete conv2", "Delete 3 layers"). */
    public static GraphEdit removeNodes(ModelGraph graph, Collection<String> names) {
        List<String> list = List.copyOf(new LinkedHashSet<>(names));
        if (list.isEmpty()) throw new IllegalArgumentException("nothing is selected to delete");
        list.forEach(graph::node);
        String what = list.size() == 1 ? list.get(0) : list.size() + " layers";
        return new GraphEdit("Delete " + what, graph, g -> list.forEach(g::remove));
    }

    /** Moves layers to new positions as one step ("Move conv1", "Move 4 layers"). */
    public static GraphEdit moveNodes(ModelGraph graph, Map<String, Position> positions) {
        String what = positions.size() == 1 ? positions.keySet().iterator().next() : positions.size() + " layers";
        return reposition("Move " + what, graph, positions);
    }

    /** Positions from an automatic layout as one step. */
    public static GraphEdit applyLayout(ModelGraph graph, Map<String, Position> positions) {
        return reposition("Auto-layout", graph, positions);
    }

    private static GraphEdit reposition(String description, ModelGraph graph, Map<String, Position> positions) {
        positions.keySet().forEach(graph::node);
        return new GraphEdit(description, graph, g -> positions.forEach((name, p) ->
                g.replace(g.node(name).withPosition(p.x(), p.y()))));
    }

    /**
     * Connects an output to an input port ("Connect conv1 → pool1"). A connection already on that port is
     * replaced in the same step.
     */
    public static GraphEdit connect(ModelGraph graph, String from, String to, int toPort) {
        connectProblem(graph, from, to, toPort).ifPresent(p -> { throw new IllegalArgumentException(p); });
        return new GraphEdit("Connect " + from + " → " + to, graph, g -> g.connect(new Edge(from, to, toPort)));
    }

    /**
     * Why a connection from one layer's output to another's input port cannot be made, or empty if it can.
     * The canvas asks this while a connection is dragged, to highlight the ports that accept it.
     */
    public static Optional<String> connectProblem(ModelGraph graph, String from, String to, int toPort) {
        Optional<Node> source = graph.find(from);
        Optional<Node> target = graph.find(to);
        if (source.isEmpty()) return Optional.of("there is no layer named " + from);
        if (target.isEmpty()) return Optional.of("there is no layer named " + to);
        if (from.equals(to)) return Optional.of("a layer cannot feed itself");
        if (!source.get().type().hasOutputPort()) {
            return Optional.of(from + " (" + source.get().type().displayName() + ") ends the network; nothing can follow it");
        }
        LayerType type = target.get().type();
        if (type.maxInputs() == 0) return Optional.of(to + " (" + type.displayName() + ") takes no input");
        if (toPort < 0 || toPort >= type.maxInputs()) {
            return Optional.of(to + " (" + type.displayName() + ") has no input " + (toPort + 1));
        }
        if (graph.edges().contains(new Edge(from, to, toPort))) {
            return Optional.of(from + " is already connected to this input of " + to);
        }
        if (graph.inputsOf(to).stream().anyMatch(e -> e.from().equals(from) && e.toPort() != toPort)) {
            return Optional.of(from + " already feeds another input of " + to);
        }
        if (reaches(graph, to, from)) {
            return Optional.of("connecting " + from + " → " + to + " would make a cycle, since " + to
                    + " already feeds " + from + "; data must flow one way");
        }
        return Optional.empty();
    }

    private static boolean reaches(ModelGraph graph, String start, String goal) {
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (n.equals(goal)) return true;
            if (seen.add(n)) graph.outputsOf(n).forEach(e -> todo.push(e.to()));
        }
        return false;
    }

    /** Removes connections ("Disconnect conv1 → pool1", "Disconnect 2 connections"). */
    public static GraphEdit disconnect(ModelGraph graph, Collection<Edge> edges) {
        List<Edge> list = List.copyOf(new LinkedHashSet<>(edges));
        if (list.isEmpty()) throw new IllegalArgumentException("no connection is selected");
        for (Edge e : list) {
            if (!graph.edges().contains(e)) {
                throw new IllegalArgumentException("there is no connection " + e.from() + " → " + e.to());
            }
        }
        String what = list.size() == 1 ? list.get(0).from() + " → " + list.get(0).to() : list.size() + " connections";
        return new GraphEdit("Disconnect " + what, graph, g -> list.forEach(g::disconnect));
    }

    /**
     * Sets one parameter ("Set conv1 filters to 64"), validated by the parameter's rules; a value outside
     * them is refused with the parameter's own explanation.
     */
    public static GraphEdit setParam(ModelGraph graph, String layer, String param, Object raw) {
        Node node = graph.node(layer);
        LayerType type = node.type();
        ParamSpec spec = type.param(param);
        Params updated;
        try {
            updated = node.params().with(type, param, raw);
        } catch (ParamSpec.InvalidParamException e) {
            throw new IllegalArgumentException(layer + ": " + e.getMessage(), e);
        }
        Object value = updated.get(param);
        return new GraphEdit("Set " + layer + " " + spec.label().toLowerCase(java.util.Locale.ROOT) + " to " + value,
                graph, g -> {
                    var before = ShapeInference.analyze(g);
                    g.replace(g.node(layer).withParams(updated));
                    startNewWhereWeightsChanged(g, before);
                });
    }

    /**
     * A pre-trained layer whose number of weights an edit changed no longer fits the trained model (its own units,
     * or those of the layer feeding it): it starts new, as training would find anyway.
     */
    private static void startNewWhereWeightsChanged(ModelGraph g, kiln.engine.model.GraphAnalysis before) {
        var after = ShapeInference.analyze(g);
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.pretrained()) continue;
            NodeAnalysis was = before.get(n.name());
            NodeAnalysis is = after.get(n.name());
            if (was != null && is != null && was.ok() && is.ok() && was.params() != is.params()) {
                g.replace(n.withWeightsFrom(null));
            }
        }
    }

    /** Renames a layer, keeping its connections ("Rename conv1 to features"). */
    public static GraphEdit rename(ModelGraph graph, String oldName, String newName) {
        graph.node(oldName);
        if (!oldName.equals(newName)) {
            graph.checkName(newName).ifPresent(p -> { throw new IllegalArgumentException(p); });
        }
        return new GraphEdit("Rename " + oldName + " to " + newName, graph, g -> g.rename(oldName, newName));
    }

    /**
     * Adds copies of layers, shifted by (dx, dy), with fresh names where a name is taken ("conv1" → "conv2"),
     * keeping the connections among them ("Paste 3 layers", "Duplicate conv1").
     */
    public static GraphEdit paste(ModelGraph graph, Fragment fragment, double dx, double dy, String verb) {
        if (fragment.isEmpty()) throw new IllegalArgumentException("the clipboard holds no layers");
        Map<String, String> renamed = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        graph.nodes().forEach(n -> taken.add(n.name()));
        for (Node n : fragment.nodes()) {
            LayerCatalog.get(n.typeId());
            String name = freshCopyName(n.name(), taken);
            taken.add(name);
            renamed.put(n.name(), name);
        }
        String what = fragment.nodes().size() == 1 ? fragment.nodes().get(0).name()
                : fragment.nodes().size() + " layers";
        return new GraphEdit(verb + " " + what, graph, g -> {
            for (Node n : fragment.nodes()) {
                g.restore(n.withName(renamed.get(n.name())).withPosition(n.x() + dx, n.y() + dy));
            }
            for (Edge e : fragment.edges()) {
                g.connect(new Edge(renamed.get(e.from()), renamed.get(e.to()), e.toPort()));
            }
        });
    }

    /** The names the pasted layers will get, in fragment order (for selecting them afterwards). */
    public static List<String> pastedNames(ModelGraph before, GraphEdit paste) {
        Set<String> old = new HashSet<>();
        before.nodes().forEach(n -> old.add(n.name()));
        List<String> added = new ArrayList<>();
        for (Node n : paste.result().nodes()) if (!old.contains(n.name())) added.add(n.name());
        return added;
    }

    private static String freshCopyName(String name, Set<String> taken) {
        if (!taken.contains(name)) return name;
        Matcher m = TRAILING_NUMBER.matcher(name);
        String base = m.matches() ? m.group(1) : name + "_";
        int i = m.matches() ? Integer.parseInt(m.group(2)) + 1 : 2;
        if (base.isEmpty()) base = "layer_";
        while (taken.contains(base + i)) i++;
        return base + i;
    }

    /**
     * Freezes or unfreezes layers as one step ("Freeze conv1", "Unfreeze 3 layers"). Layers without weights are
     * left as they are: there is nothing in them to freeze.
     */
    public static GraphEdit setTrainable(ModelGraph graph, Collection<String> names, boolean trainable) {
        List<String> list = List.copyOf(new LinkedHashSet<>(names));
        if (list.isEmpty()) throw new IllegalArgumentException("no layer is selected to " + (trainable ? "unfreeze" : "freeze"));
        list.forEach(graph::node);
        List<String> weighted = withWeights(graph, list);
        if (weighted.isEmpty()) {
            throw new IllegalArgumentException((list.size() == 1 ? list.get(0) + " has" : "these layers have")
                    + " no weights, so there is nothing to " + (trainable ? "unfreeze" : "freeze"));
        }
        String what = weighted.size() == 1 ? weighted.get(0) : weighted.size() + " layers";
        return new GraphEdit((trainable ? "Unfreeze " : "Freeze ") + what, graph, g -> weighted.forEach(name -> {
            Node n = g.node(name);
            LayerTraining t = n.training();
            g.replace(n.withTraining(new LayerTraining(trainable, t.rateMultiplier(), t.updateStatistics())));
        }));
    }

    /**
     * Freezes every layer with weights that feeds the named one, directly or through others ("Freeze the layers
     * before dense1"): the usual start of fine-tuning, where only the head learns.
     */
    public static GraphEdit freezeBefore(ModelGraph graph, String layer) {
        graph.node(layer);
        Set<String> upstream = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(layer));
        while (!todo.isEmpty()) {
            for (Edge e : graph.inputsOf(todo.pop())) if (upstream.add(e.from())) todo.push(e.from());
        }
        List<String> before = graph.nodes().stream().map(Node::name).filter(upstream::contains).toList();
        if (withWeights(graph, before).isEmpty()) {
            throw new IllegalArgumentException("no layer with weights comes before " + layer + ", so there is nothing to freeze");
        }
        GraphEdit freeze = setTrainable(graph, before, false);
        return new GraphEdit("Freeze the layers before " + layer, graph, g -> g.setContents(freeze.result()));
    }

    /** Sets a layer's learning-rate multiplier ("Set dense1 learning-rate multiplier to 0.1"); above 0. */
    public static GraphEdit setRateMultiplier(ModelGraph graph, String layer, double multiplier) {
        Node node = graph.node(layer);
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(layer + ": the learning-rate multiplier must be a number above 0 "
                    + "(1 trains at the run's rate, 0.1 at a tenth of it), not " + multiplier);
        }
        LayerTraining t = node.training();
        LayerTraining updated = new LayerTraining(t.trainable(), multiplier, t.updateStatistics());
        return new GraphEdit("Set " + layer + " learning-rate multiplier to " + multiplier, graph,
                g -> g.replace(g.node(layer).withTraining(updated)));
    }

    /**
     * Whether a frozen BatchNorm still updates its running statistics from each batch ("Update dense1 BatchNorm
     * statistics"); by default a frozen one keeps them.
     */
    public static GraphEdit setUpdateStatistics(ModelGraph graph, String layer, boolean update) {
        Node node = graph.node(layer);
        LayerTraining t = node.training();
        LayerTraining updated = new LayerTraining(t.trainable(), t.rateMultiplier(), update);
        return new GraphEdit((update ? "Update " : "Keep ") + layer + " running statistics", graph,
                g -> g.replace(g.node(layer).withTraining(updated)));
    }

    /** Replaces the whole network by another as one step ("Start from mnist-cnn, run-2"). */
    public static GraphEdit replaceNetwork(ModelGraph graph, String description, ModelGraph replacement) {
        ModelGraph copy = replacement.copy();
        return new GraphEdit(description, graph, g -> g.setContents(copy));
    }

    /** The named layers that have weights, or whose weights cannot be counted yet (shape problems upstream). */
    private static List<String> withWeights(ModelGraph graph, List<String> names) {
        var analysis = ShapeInference.analyze(graph);
        return names.stream().filter(name -> {
            NodeAnalysis a = analysis.get(name);
            return a == null || !a.ok() ? graph.node(name).type().maxInputs() > 0 : a.params() > 0;
        }).toList();
    }

    /**
     * Applies a repair suggested by shape inference: inserts a layer of the suggested type between the layer
     * and its first input ("Insert Flatten before dense1"), half way between the two on the canvas.
     */
    public static GraphEdit applyFix(ModelGraph graph, String layer, SuggestedFix fix) {
        Node target = graph.node(layer);
        LayerType type = LayerCatalog.get(fix.insertTypeId());
        Edge first = graph.inputsOf(layer).stream().findFirst().orElseThrow(() ->
                new IllegalArgumentException(layer + " has no input to insert " + type.displayName() + " in front of"));
        Node source = graph.node(first.from());
        String name = graph.freshName(type);
        double x = (source.x() + target.x()) / 2;
        double y = (source.y() + target.y()) / 2;
        return new GraphEdit(fix.description(), graph, g -> {
            g.add(name, type, Params.defaults(type), x, y);
            g.disconnect(first);
            g.connect(new Edge(first.from(), name, 0));
            g.connect(new Edge(name, layer, first.toPort()));
        });
    }
}
