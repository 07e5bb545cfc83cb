package kiln.engine.model;

import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The network as the student drew it: named layers and the connections between their ports.
 * It may be invalid at any time; {@link ShapeInference} says what is wrong. Undoable edits go through
 * {@link kiln.engine.edit.GraphEdits}' commands, which call the methods here.
 */
public final class ModelGraph {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    public ModelGraph copy() {
        ModelGraph g = new ModelGraph();
        g.nodes.putAll(nodes);
        g.edges.addAll(edges);
        return g;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<Edge> edges() {
        return Collections.unmodifiableList(edges);
    }

    public Optional<Node> find(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public Node node(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no layer named " + name));
    }

    /** The network's Input layer (a valid graph has exactly one). */
    public Optional<Node> inputNode() {
        return firstWithRole(LayerType.Role.INPUT);
    }

    /** The network's Output layer, whose predictions are scored (a valid graph has exactly one). */
    public Optional<Node> outputNode() {
        return firstWithRole(LayerType.Role.OUTPUT);
    }

    private Optional<Node> firstWithRole(LayerType.Role role) {
        return nodes.values().stream().filter(n -> n.type().role() == role).findFirst();
    }

    /** Edges into a layer, ordered by port. */
    public List<Edge> inputsOf(String name) {
        return edges.stream().filter(e -> e.to().equals(name))
                .sorted(Comparator.comparingInt(Edge::toPort)).toList();
    }

    public List<Edge> outputsOf(String name) {
        return edges.stream().filter(e -> e.from().equals(name)).toList();
    }

    /** A name like "conv2d_3" not yet used, for a new layer of the given type. */
    public String freshName(LayerType type) {
        for (int i = 1; ; i++) {
            String candidate = type.id() + "_" + i;
            if (!nodes.containsKey(candidate)) return candidate;
        }
    }

    /** Why a name cannot be used for a layer, or empty if it can. */
    public Optional<String> checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid layer name; use letters, digits and _ "
                    + "(starting with a letter, at most 64 characters)");
        }
        if (nodes.containsKey(name)) return Optional.of("a layer named '" + name + "' already exists");
        return Optional.empty();
    }

    public Node add(String name, LayerType type, Params params, double x, double y) {
        checkName(name).ifPresent(problem -> { throw new IllegalArgumentException(problem); });
        Node n = new Node(name, type.id(), params, x, y);
        nodes.put(name, n);
        return n;
    }

    /** Puts back a node exactly as it was (undo of a removal). */
    public void restore(Node node) {
        if (nodes.containsKey(node.name())) throw new IllegalArgumentException("layer " + node.name() + " exists");
        nodes.put(node.name(), node);
    }

    /** Removes a layer and every connection touching it; returns those connections. */
    public List<Edge> remove(String name) {
        node(name);
        List<Edge> removed = edges.stream().filter(e -> e.from().equals(name) || e.to().equals(name)).toList();
        edges.removeAll(removed);
        nodes.remove(name);
        return removed;
    }

    public void replace(Node updated) {
        node(updated.name());
        nodes.put(updated.name(), updated);
    }

    /** Renames a layer, keeping its place in the order and its connections. */
    public void rename(String oldName, String newName) {
        Node old = node(oldName);
        if (oldName.equals(newName)) return;
        checkName(newName).ifPresent(problem -> { throw new IllegalArgumentException(problem); });
        Map<String, Node> reordered = new LinkedHashMap<>();
        nodes.forEach((k, v) -> reordered.put(k.equals(oldName) ? newName : k, k.equals(oldName) ? old.withName(newName) : v));
        nodes.clear();
        nodes.putAll(reordered);
        edges.replaceAll(e -> new Edge(e.from().equals(oldName) ? newName : e.from(),
                e.to().equals(oldName) ? newName : e.to(), e.toPort()));
    }

    /** Adds a connection; an existing connection on the same input port is replaced and returned. */
    public Optional<Edge> connect(Edge edge) {
        node(edge.from());
        node(edge.to());
        if (edge.from().equals(edge.to())) throw new IllegalArgumentException("a layer cannot feed itself");
        Optional<Edge> previous = edges.stream()
                .filter(e -> e.to().equals(edge.to()) && e.toPort() == edge.toPort()).findFirst();
        previous.ifPresent(edges::remove);
        edges.add(edge);
        return previous;
    }

    public boolean disconnect(Edge edge) {
        return edges.remove(edge);
    }

    /** Makes this graph hold exactly the layers and connections of another, in its order (undo of an edit). */
    public void setContents(ModelGraph other) {
        if (other == this) return;
        nodes.clear();
        nodes.putAll(other.nodes);
        edges.clear();
        edges.addAll(other.edges);
    }

    /** Same layers (names, types, parameters, positions) and connections, in the same order. */
    public boolean sameContents(ModelGraph other) {
        return List.copyOf(nodes.values()).equals(List.copyOf(other.nodes.values())) && edges.equals(other.edges);
    }
}
