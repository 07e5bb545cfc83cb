package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepParams;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.params.ParamSpec;
import kiln.widgets.params.ParamEditor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The Data tab's editor of one pipeline step: what the step does, a field per parameter, and what is wrong. */
final class StepEditor extends VBox {

    private final Supplier<Pipeline> pipeline;
    private final Consumer<PipelineEdits.Edit> apply;
    private final VBox fields = new VBox();
    private final Label help = new Label();
    private final Label error = new Label();

    /** @param pipeline the project's pipeline now; {@code apply} makes an edit of it an undoable command */
    StepEditor(Supplier<Pipeline> pipeline, Consumer<PipelineEdits.Edit> apply) {
        super(8);
        this.pipeline = pipeline;
        this.apply = apply;
        help.setWrapText(true);
        help.getStyleClass().add(Styles.TEXT_SMALL);
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        getChildren().addAll(help, fields, error);
    }

    /** The parameter fields, disabled while a run trains (the help stays readable). */
    Node fields() {
        return fields;
    }

    /** Shows step {@code i} of the pipeline, or a hint when none is selected. */
    void show(int i) {
        fields.getChildren().clear();
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
        try {
            StepParams.of(t, s.params());
        } catch (ParamSpec.InvalidParamException e) {
            error.setText(e.getMessage());
        }
        fields.getChildren().add(new ParamEditor(t.params(), new ParamEditor.Look("param-", false, null),
                name -> values(i, t).get(name), (p, v) -> commitParam(i, t, p, v), error::setText));
    }

    /** Step {@code i}'s values now, defaults filled in (as written when they do not validate). */
    private Map<String, Object> values(int i, StepType t) {
        List<PipelineStep> list = pipeline.get().steps();
        if (i >= list.size()) return Map.of();
        Map<String, Object> raw = list.get(i).params();
        try {
            return StepParams.of(t, raw).asMap();
        } catch (ParamSpec.InvalidParamException e) {
            return raw;
        }
    }

    private boolean commitParam(int index, StepType t, ParamSpec p, Object value) {
        try {
            Optional<PipelineEdits.Edit> edit = PipelineEdits.setParam(pipeline.get(), index, t, p, value);
            error.setText("");
            edit.ifPresent(apply);
            return true;
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
            return false;
        }
    }
}
