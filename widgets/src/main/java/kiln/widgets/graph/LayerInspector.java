package kiln.widgets.graph;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import kiln.engine.catalog.LayerType;
import kiln.engine.catalog.Params;
import kiln.engine.edit.Command;
import kiln.engine.edit.GraphEdits;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.model.NodeAnalysis;
import kiln.widgets.params.ParamEditor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Settings of the selected layer, in a {@link ParamEditor} built from its type's parameter descriptions. A value the
 * parameter does not allow is refused with the reason and the field goes back to the layer's value. Below: the layer's problem (with its
 * fix), what the layer does, and its shape and parameter formulas. With nothing selected it lists the
 * network's problems.
 */
public final class LayerInspector extends ScrollPane {


    private final ModelGraph graph;
    private final Consumer<Command> edits;
    private final VBox box = new VBox(6);
    private final Label refusal = new Label();
    private final BooleanProperty readOnly = new SimpleBooleanProperty();
    private Consumer<String> onRenamed = n -> { };
    private String shown;
    private Node shownNode;
    /** Per parameter: puts the layer's current value into the editor and shows or hides the row. */
    private final Map<String, Runnable> updaters = new LinkedHashMap<>();
    private boolean updating;

    public LayerInspector(ModelGraph graph, Consumer<Command> edits) {
        this.graph = graph;
        this.edits = edits;
        getStyleClass().add("layer-inspector");
        getStylesheets().add(LayerInspector.class.getResource("graph.css").toExternalForm());
        setFitToWidth(true);
        setHbarPolicy(ScrollBarPolicy.NEVER);
        box.setPadding(new Insets(12));
        setContent(box);
        refusal.getStyleClass().add("inspector-refusal");
        refusal.setId("inspector-refusal");
        refusal.setWrapText(true);
        readOnly.addListener((o, a, b) -> rebuild(null));
    }

    public BooleanProperty readOnlyProperty() {
        return readOnly;
    }

    /** Told the new name after a rename, so the host can keep the layer selected. */
    public void setOnRenamed(Consumer<String> onRenamed) {
        this.onRenamed = onRenamed;
    }

    /** Shows a layer (or, with null, the network's problems). */
    public void show(String layer, GraphAnalysis analysis) {
        if (layer != null && graph.find(layer).isEmpty()) layer = null;
        boolean same = layer != null && layer.equals(shown) && shownNode != null
                && graph.node(layer).typeId().equals(shownNode.typeId());
        shown = layer;
        if (same) {
            update(analysis);
        } else {
            refusal.setText("");
            rebuild(analysis);
        }
    }

    /** Keeps focus and editors when the same layer changed (a spinner click), rebuilding only the text below. */
    private void update(GraphAnalysis analysis) {
        shownNode = graph.node(shown);
        updating = true;
        try {
            updaters.values().forEach(Runnable::run);
        } finally {
            updating = false;
        }
        box.getChildren().remove(lowerStart(), box.getChildren().size());
        box.getChildren().addAll(lower(shownNode, analysis));
    }

    private int lowerStart() {
        return box.getChildren().indexOf(refusal) + 1;
    }

    private void rebuild(GraphAnalysis analysis) {
        updaters.clear();
        box.getChildren().clear();
        if (shown == null) {
            shownNode = null;
            Label title = new Label("Network");
            title.getStyleClass().add("inspector-title");
            box.getChildren().add(title);
            Label help = muted("Select a layer to see and change its settings.");
            box.getChildren().add(help);
            if (analysis != null) {
                List<String> problems = analysis.problems();
                if (problems.isEmpty()) {
                    box.getChildren().add(muted("No problems: every layer has a shape and the network is complete."));
                } else {
                    box.getChildren().add(section("Problems"));
                    for (String p : problems) box.getChildren().add(problem(p));
                }
            }
            return;
        }
        Node node = graph.node(shown);
        shownNode = node;
        LayerType type = node.type();
        TextField name = new TextField(node.name());
        name.setId("inspector-name");
        name.getStyleClass().add("inspector-title");
        name.setDisable(readOnly.get());
        Runnable commitName = () -> {
            String wanted = name.getText().trim();
            if (wanted.equals(shown)) return;
            String old = shown;
            if (apply(() -> GraphEdits.rename(graph, old, wanted))) onRenamed.accept(wanted);
            else name.setText(old);
        };
        name.setOnAction(e -> commitName.run());
        name.focusedProperty().addListener((o, was, is) -> { if (!is) commitName.run(); });
        Label kind = muted(type.displayName() + " · " + type.category().displayName());
        box.getChildren().addAll(name, kind);

        if (!type.params().isEmpty()) {
            box.getChildren().add(section("Parameters"));
            ParamEditor params = new ParamEditor(type.params(), new ParamEditor.Look("param-", true, "inspector-muted"),
                    this::current, (spec, value) -> apply(() -> GraphEdits.setParam(graph, shown, spec.name(), value)),
                    why -> refusal.setText("Not changed: " + shown + ": " + why));
            params.setRelevance(param -> type.isRelevant(param, shownNode.params()));
            for (Control c : params.editors()) c.setDisable(readOnly.get());
            box.getChildren().add(params);
            updaters.put("#params", params::refresh);
        }
        NodeAnalysis a = analysis == null ? null : analysis.get(node.name());
        if (a != null && a.ok() && a.params() > 0) box.getChildren().addAll(trainingSection(node));
        box.getChildren().add(refusal);
        box.getChildren().addAll(lower(node, analysis));
    }

    /** Whether the layer trains, at what rate, and where its weights start (transfer learning). */
    private List<javafx.scene.Node> trainingSection(Node node) {
        CheckBox trains = new CheckBox("Trains");
        trains.setId("inspector-trains");
        Label trainsHelp = muted("Untick to freeze it: training then leaves its weights exactly as they are.");
        TextField rate = new TextField();
        rate.setId("inspector-rate");
        rate.setPrefColumnCount(5);
        Label rateLabel = new Label("Learning rate ×");
        Label rateHelp = muted("Its learning rate as a multiple of the run's: 0.1 fine-tunes gently, 1 trains as usual.");
        CheckBox statistics = new CheckBox("Update BatchNorm statistics");
        statistics.setId("inspector-update-statistics");
        Label statisticsHelp = muted("A frozen BatchNorm keeps its running mean and variance; tick to let each "
                + "batch update them.");
        Label origin = new Label();
        origin.setId("inspector-weights");
        origin.setWrapText(true);
        for (Control c : List.of(trains, rate, statistics)) c.setDisable(readOnly.get());

        trains.selectedProperty().addListener((o, was, is) -> {
            if (updating) return;
            if (!apply(() -> GraphEdits.setTrainable(graph, List.of(shown), is))) put(() -> trains.setSelected(!is));
        });
        Runnable commitRate = () -> {
            if (updating) return;
            String text = rate.getText().trim();
            double current = graph.node(shown).training().rateMultiplier();
            if (text.equals(format(current))) return;
            double wanted;
            try {
                wanted = Double.parseDouble(text.replace(",", "."));
            } catch (NumberFormatException e) {
                refusal.setText("Not changed: " + shown + ": the learning-rate multiplier must be a number above 0, "
                        + "such as 0.1; \"" + text + "\" is not a number");
                rate.setText(format(current));
                return;
            }
            if (!apply(() -> GraphEdits.setRateMultiplier(graph, shown, wanted))) rate.setText(format(current));
        };
        rate.setOnAction(e -> commitRate.run());
        rate.focusedProperty().addListener((o, was, is) -> { if (!is) commitRate.run(); });
        statistics.selectedProperty().addListener((o, was, is) -> {
            if (updating) return;
            if (!apply(() -> GraphEdits.setUpdateStatistics(graph, shown, is))) put(() -> statistics.setSelected(!is));
        });
        boolean keepsStatistics = node.type().keepsRunningStatistics();
        updaters.put("#training", () -> {
            Node n = shownNode;
            trains.setSelected(n.trainable());
            rate.setText(format(n.training().rateMultiplier()));
            statistics.setSelected(n.training().updateStatistics());
            boolean adapted = n.params().asMap().containsKey(kiln.engine.catalog.LowRankAdapters.RANK)
                    && kiln.engine.catalog.LowRankAdapters.rank(n.params()) > 0;
            trainsHelp.setText(adapted && n.trainable()
                    ? "With LoRA only its adapters train; its own weights stay. Untick to freeze the adapters too."
                    : "Untick to freeze it: training then leaves its weights exactly as they are.");
            boolean showStatistics = keepsStatistics && !n.trainable();
            for (javafx.scene.Node x : List.of(statistics, statisticsHelp)) {
                x.setVisible(showStatistics);
                x.setManaged(showStatistics);
            }
            origin.setText(n.pretrained() ? "Weights: pre-trained, from " + n.weightsFrom()
                    : "Weights: new (random at the start of each run)");
        });
        put(updaters.get("#training"));
        javafx.scene.layout.HBox rateRow = new javafx.scene.layout.HBox(8, rateLabel, rate);
        rateRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return List.of(section("Training"), trains, trainsHelp, rateRow, rateHelp, statistics, statisticsHelp, origin);
    }

    /** Output, problem, explanation and formulas. */
    private List<javafx.scene.Node> lower(Node node, GraphAnalysis analysis) {
        VBox out = new VBox(6);
        LayerType type = node.type();
        NodeAnalysis a = analysis == null ? null : analysis.get(node.name());
        if (a != null && a.ok()) {
            out.getChildren().add(section("Output"));
            Label shape = new Label(a.shape() + "  ·  " + String.format(Locale.ROOT, "%,d parameters", a.params()));
            shape.setId("inspector-output");
            out.getChildren().add(shape);
        } else if (a != null) {
            VBox problem = new VBox(6);
            problem.getStyleClass().add("inspector-problem-box");
            Label text = problem(a.message());
            text.setId("inspector-problem");
            problem.getChildren().add(text);
            a.fix().ifPresent(fix -> {
                Button b = new Button(fix.description());
                b.setMnemonicParsing(false); // "dense_1" is a name, not "dense1" with 1 as a mnemonic
                b.setWrapText(true); // the whole sentence, on two lines when the inspector is narrow
                b.setId("inspector-fix");
                b.setDisable(readOnly.get());
                b.setOnAction(e -> apply(() -> RoomyFix.command(graph, node.name(), fix)));
                problem.getChildren().add(b);
            });
            out.getChildren().add(problem);
        }
        out.getChildren().add(section("What it does"));
        Label explanation = new Label(type.explanation());
        explanation.setWrapText(true);
        out.getChildren().add(explanation);
        out.getChildren().add(section("Output shape"));
        out.getChildren().add(formula(type.shapeFormula()));
        out.getChildren().add(section("Parameter count"));
        out.getChildren().add(formula(type.paramCountFormula()));
        return List.of(out);
    }

    private Object current(String param) {
        Params p = graph.node(shown).params();
        return p.get(param);
    }

    /** Sets an editor back without treating it as an edit. */
    private void put(Runnable r) {
        updating = true;
        try {
            r.run();
        } finally {
            updating = false;
        }
    }

    private boolean apply(java.util.function.Supplier<Command> build) {
        try {
            edits.accept(build.get());
            refusal.setText("");
            return true;
        } catch (IllegalArgumentException | IllegalStateException e) {
            refusal.setText("Not changed: " + e.getMessage());
            return false;
        }
    }

    /** The refusal shown for the last edit, empty when it was applied. */
    public String refusalText() {
        return refusal.getText();
    }

    private static String format(Object v) {
        return String.valueOf(v);
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("inspector-section");
        return l;
    }

    private static Label muted(String text) {
        return wrapped(text, "inspector-muted");
    }

    private static Label problem(String text) {
        return wrapped(text, "inspector-problem");
    }

    private static Label formula(String text) {
        return wrapped(text, "inspector-formula");
    }

    private static Label wrapped(String text, String styleClass) {
        Label l = new Label(text);
        l.getStyleClass().add(styleClass);
        l.setWrapText(true);
        return l;
    }
}
