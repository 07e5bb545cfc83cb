package kiln.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The Keras-style summary table: Layer (type) | Output Shape | Param # | Connected to, with totals. */
public final class ModelSummary {

    /**
     * @param weights where the layer's weights start and whether they train: "new", "pre-trained", "new, frozen",
     *                "pre-trained, frozen"
     */
    public record Row(String layer, String outputShape, long params, long multiplyAdds, String connectedTo,
                      String weights) { }

    private final List<Row> rows;
    private final long totalParams;
    private final long nonTrainableParams;
    private final long multiplyAdds;
    private final boolean transfer;

    private ModelSummary(List<Row> rows, long totalParams, long nonTrainableParams, long multiplyAdds, boolean transfer) {
        this.transfer = transfer;
        this.rows = rows;
        this.totalParams = totalParams;
        this.nonTrainableParams = nonTrainableParams;
        this.multiplyAdds = multiplyAdds;
    }

    public static ModelSummary of(ModelGraph graph) {
        GraphAnalysis a = ShapeInference.analyze(graph);
        List<Row> rows = new ArrayList<>();
        for (String name : a.order()) {
            Node n = graph.node(name);
            NodeAnalysis na = a.get(name);
            String shape = na.ok() ? na.shape().toString() : na.status() == NodeAnalysis.Status.ERROR ? "error" : "?";
            String from = String.join(", ", graph.inputsOf(name).stream().map(Edge::from).toList());
            rows.add(new Row(name + " (" + n.type().displayName() + ")", shape, na.params(), na.multiplyAdds(), from,
                    weights(n)));
        }
        boolean transfer = graph.nodes().stream().anyMatch(n -> !n.trainable() || n.pretrained());
        return new ModelSummary(rows, a.totalParams(), a.totalNonTrainableParams(), a.totalMultiplyAdds(), transfer);
    }

    static String weights(Node n) {
        return (n.pretrained() ? "pre-trained" : "new") + (n.trainable() ? "" : ", frozen");
    }

    public List<Row> rows() { return rows; }

    /** Whether some layer is frozen or starts from a trained model (the text then has a Weights column). */
    public boolean transfer() { return transfer; }
    public long totalParams() { return totalParams; }
    public long trainableParams() { return totalParams - nonTrainableParams; }
    public long nonTrainableParams() { return nonTrainableParams; }
    public long multiplyAdds() { return multiplyAdds; }

    /** Size of the weights as 32-bit floats. */
    public long weightBytes() { return totalParams * Float.BYTES; }

    /** The table as text, as the command line prints it. */
    public String toText() {
        String[] head = {"Layer (type)", "Output Shape", "Param #", "Weights", "Connected to"};
        int[] w = {head[0].length(), head[1].length(), head[2].length(), transfer ? head[3].length() : 0, head[4].length()};
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.layer().length());
            w[1] = Math.max(w[1], r.outputShape().length());
            w[2] = Math.max(w[2], grouped(r.params()).length());
            if (transfer) w[3] = Math.max(w[3], r.weights().length());
            w[4] = Math.max(w[4], r.connectedTo().length());
        }
        String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  " + (transfer ? "%-" + w[3] + "s  " : "%s")
                + "%-" + w[4] + "s%n";
        int width = w[0] + w[1] + w[2] + w[3] + w[4] + (transfer ? 8 : 6);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, head[0], head[1], head[2], transfer ? head[3] : "", head[4])
                .stripTrailing()).append('\n');
        sb.append("=".repeat(width)).append('\n');
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, fmt, r.layer(), r.outputShape(), grouped(r.params()),
                    transfer ? r.weights() : "", r.connectedTo()).stripTrailing()).append('\n');
        }
        sb.append("=".repeat(width)).append('\n');
        sb.append("Total params: ").append(grouped(totalParams))
                .append(" (").append(humanBytes(weightBytes())).append(")\n");
        sb.append("Trainable params: ").append(grouped(trainableParams())).append('\n');
        sb.append("Non-trainable params: ").append(grouped(nonTrainableParams)).append('\n');
        sb.append("Multiply-adds per sample: ").append(grouped(multiplyAdds)).append('\n');
        return sb.toString();
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.2f KB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024));
    }
}
