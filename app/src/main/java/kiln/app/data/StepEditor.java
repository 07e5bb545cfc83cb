package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepParams;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.params.ParamSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The Data tab's editor of one pipeline step: what the step does, a field per parameter, and what is wrong. */
final class StepEditor extends VBox {

    private final Supplier<Pipeline> pipeline;
    private final Consumer<PipelineEdits.Edit> apply;
    private final GridPane grid = new GridPane();
    private final Label help = new Label();
    private final Label error = new Label();

    /** @param pipeline the project's pipeline now; {@code apply} makes an edit of it an undoable command */
    StepEditor(Supplier<Pipeline> pipeline, Consumer<PipelineEdits.Edit> apply) {
        super(8);
        this.pipeline = pipeline;
        this.apply = apply;
        grid.setHgap(6);
        grid.setVgap(4);
        help.setWrapText(true);
        help.getStyleClass().add(Styles.TEXT_SMALL);
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        getChildren().addAll(help, grid, error);
    }

    /** The parameter fields, disabled while a run trains (the help stays readable). */
    Node fields() {
        return grid;
    }

    /** Shows step {@code i} of the pipeline, or a hint when none is selected. */
    void show(int i) {
        grid.getChildren().clear();
        error.setText("");
        List<PipelineStep> list = pipeline.get().steps();
        if (i < 0 || i >= list.size()) {
            help.setText(list.isEmpty() ? "No steps yet: add one with \"Add step\"." : "");
            return;
        }
        PipelineStep s = list.get(i);
        Optional<StepType> type = StepType.find(s.type());
        if (type.isEmpty()) {
            help.setText("Unknown step type " + s.type() + "; remove it.");
            return;
        }
        StepType t = type.get();
        help.setText(t.explanation());
        Map<String, Object> values;
        try {
            values = StepParams.of(t, s.params()).asMap();
        } catch (ParamSpec.InvalidParamException e) {
            values = s.params();
            error.setText(e.getMessage());
        }
        int row = 0;
        for (ParamSpec p : t.params()) {
            Label label = new Label(p.label());
            label.setTooltip(new Tooltip(p.help()));
            Node field = fieldFor(i, t, p, values.get(p.name()));
            grid.addRow(row++, label, field);
        }
    }

    private Node fieldFor(int index, StepType t, ParamSpec p, Object value) {
        String id = "param-" + p.name();
        switch (p.kind()) {
            case BOOLEAN -> {
                CheckBox box = new CheckBox();
                box.setId(id);
                box.setSelected(Boolean.TRUE.equals(value));
                box.setOnAction(e -> commitParam(index, t, p, box.isSelected()));
                return box;
            }
            case CHOICE -> {
                ComboBox<String> box = new ComboBox<>();
                box.setId(id);
                box.getItems().setAll(p.choices());
                box.setValue(String.valueOf(value));
                box.setOnAction(e -> commitParam(index, t, p, box.getValue()));
                return box;
            }
            default -> {
                TextField field = new TextField(value instanceof Double d ? trim(d) : String.valueOf(value));
                field.setId(id);
                field.setPrefColumnCount(8);
                field.setTooltip(new Tooltip(p.help() + " Allowed: " + p.describeAllowed() + "."));
                Runnable commit = () -> {
                    String text = field.getText().trim();
                    try {
                        Object v = p.kind() == ParamSpec.ParamKind.INT ? (Object) Integer.parseInt(text) : (Object) Double.parseDouble(text);
                        commitParam(index, t, p, v);
                    } catch (NumberFormatException e) {
                        error.setText(p.label() + ": \"" + text + "\" is not a number; use " + p.describeAllowed() + ".");
                    }
                };
                field.setOnAction(e -> commit.run());
                field.focusedProperty().addListener((o, was, now) -> {
                    if (!now) commit.run();
                });
                return field;
            }
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : Double.toString(d);
    }

    private void commitParam(int index, StepType t, ParamSpec p, Object value) {
        try {
            Optional<PipelineEdits.Edit> edit = PipelineEdits.setParam(pipeline.get(), index, t, p, value);
            error.setText("");
            edit.ifPresent(apply);
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
        }
    }
}
