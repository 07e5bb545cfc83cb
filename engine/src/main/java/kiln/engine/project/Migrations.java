package kiln.engine.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Pure upgrades of a project tree from format N to N + 1, applied in order before reading.
 * Format history:
 *   0 — pre-release: the graph was under "model" and an edge's input port was called "input".
 *   1 — the graph is under "graph" and an edge's input port is "port".
 */
final class Migrations {

    static final int CURRENT = 1;

    /** Index N upgrades format N to N + 1. */
    private static final List<UnaryOperator<ObjectNode>> STEPS = List.of(Migrations::v0ToV1);

    private Migrations() { }

    static ObjectNode upgrade(ObjectNode root, int fromVersion) {
        ObjectNode current = root;
        for (int v = fromVersion; v < CURRENT; v++) {
            current = STEPS.get(v).apply(current.deepCopy());
            current.put("formatVersion", v + 1);
        }
        return current;
    }

    static ObjectNode v0ToV1(ObjectNode root) {
        JsonNode model = root.remove("model");
        if (model != null) root.set("graph", model);
        JsonNode edges = root.path("graph").path("edges");
        for (JsonNode edge : edges) {
            if (edge instanceof ObjectNode e && e.has("input")) e.set("port", e.remove("input"));
        }
        return root;
    }
}
