package kiln.app.training;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import kiln.app.document.ProjectDocument;
import kiln.app.ui.ViewParts;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.TrainingSettings;
import kiln.widgets.params.ParamEditor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training settings of a project as a form. Each accepted change is one undoable edit of the project's
 * settings; a value the settings refuse is put back and the reason shown. Read-only while the project trains.
 */
final class SettingsEditor extends VBox {

    private final ProjectDocument document;
    private final Label message = new Label();
    private final List<ParamEditor> paramEditors = new ArrayList<>();
    private final IntegerProperty limitTrain = new SimpleIntegerProperty(0);
    private final CheckBox limit = new CheckBox("Quick try: train on only the first");
    private final TextField limitCount = new TextField("1000");
    private final Runnable removeListener;

    SettingsEditor(ProjectDocument document) {
        this.document = document;
        setSpacing(8);
        setPadding(new Insets(10));
        setId("settingsEditor");
        Label title = ViewParts.sectionTitle("Training settings");

        ParamEditor.Look look = new ParamEditor.Look("", false, null);
        ParamEditor usual = new ParamEditor(TrainingSettings.PARAMS, look, this::current, this::change, message::setText);
        usual.getColumnConstraints().addAll(labelColumn(), valueColumn());
        paramEditors.add(usual);

        // A quick-try option for this session, not a project setting: it changes the data, not how to train.
        limit.setId("limitTrain");
        limit.setWrapText(true); // the whole sentence, on two lines in the narrow settings column
        limitCount.setId("limitCount");
        limitCount.setPrefColumnCount(6);
        limitCount.disableProperty().bind(limit.selectedProperty().not().or(document.lockedProperty()));
        limit.disableProperty().bind(document.lockedProperty());
        limit.selectedProperty().addListener((o, a, b) -> commitLimit());
        limitCount.setOnAction(e -> commitLimit());
        limitCount.focusedProperty().addListener((o, was, is) -> {
            if (!is) commitLimit();
        });
        GridPane limitRow = new GridPane();
        limitRow.setHgap(6);
        limitRow.setVgap(4);
        limitRow.add(limit, 0, 0, 2, 1);
        limitRow.addRow(1, limitCount, new Label("training samples"));
        Tooltip.install(limit, ParamEditor.tooltip("For a quick try: train on only the first N training samples (validation and test "
                + "stay whole). The run records the limit."));

        // The two-phase fine-tuning recipe, below the quick try so the usual settings keep their place.
        ParamEditor recipe = new ParamEditor(TrainingSettings.HEAD_FIRST_PARAMS, look, this::current, this::change,
                message::setText);
        recipe.getColumnConstraints().addAll(labelColumn(), valueColumn());
        paramEditors.add(recipe);

        message.setId("settingsMessage");
        message.setWrapText(true);
        message.getStyleClass().add(atlantafx.base.theme.Styles.DANGER);
        message.setMaxWidth(280);
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        message.visibleProperty().bind(message.textProperty().isNotEmpty());

        Label hint = new Label("Hover a name for help. Every change can be undone.");
        hint.setWrapText(true);
        hint.setMaxWidth(280);
        hint.getStyleClass().add(atlantafx.base.theme.Styles.TEXT_MUTED);
        getChildren().addAll(title, usual, limitRow, recipe, message, hint);

        for (ParamEditor e : paramEditors) {
            for (Control c : e.editors()) c.disableProperty().bind(document.lockedProperty());
        }
        removeListener = document.commands().addListener(this::refresh);
        refresh();
    }

    /** Training samples to use (0 = all). */
    IntegerProperty limitTrainProperty() {
        return limitTrain;
    }

    void setLimit(int samples) {
        limitCount.setText(Integer.toString(samples));
        limit.setSelected(samples > 0);
        commitLimit();
    }

    void dispose() {
        removeListener.run();
    }

    private void commitLimit() {
        if (!limit.isSelected()) {
            limitTrain.set(0);
            return;
        }
        try {
            int n = Integer.parseInt(limitCount.getText().trim());
            if (n < 1) throw new NumberFormatException();
            limitTrain.set(n);
            message.setText("");
        } catch (NumberFormatException e) {
            message.setText("Training samples: '" + limitCount.getText() + "' is not a whole number of 1 or more.");
            limitCount.setText(Integer.toString(Math.max(1, limitTrain.get())));
        }
    }

    private void refresh() {
        paramEditors.forEach(ParamEditor::refresh);
    }

    private Object current(String name) {
        return document.project().training().values().get(name);
    }

    /** A value the setting's range allows, checked against the other settings and recorded. */
    private boolean change(ParamSpec spec, Object value) {
        TrainingSettings next = document.project().training().with(spec.name(), value);
        return apply(spec.label(), ParamEditor.plain(value), next);
    }

    private static ColumnConstraints labelColumn() {
        return new ColumnConstraints();
    }

    private static ColumnConstraints valueColumn() {
        ColumnConstraints values = new ColumnConstraints(90, 110, Double.MAX_VALUE);
        values.setHgrow(Priority.ALWAYS);
        return values;
    }

    /** Checks the new settings and records the change, or shows why it is refused (the editor puts the old value back). */
    private boolean apply(String label, String value, TrainingSettings next) {
        List<String> problems = next.problems();
        List<String> before = document.project().training().problems();
        List<String> fresh = problems.stream().filter(p -> !before.contains(p)).toList();
        if (!fresh.isEmpty()) {
            message.setText(String.join("\n", fresh));
            return false;
        }
        Project p = document.project();
        try {
            document.execute(new ValueChange<>("Set " + label.toLowerCase(Locale.ROOT) + " to " + value,
                    p::training, p::setTraining, next));
            message.setText("");
            return true;
        } catch (IllegalStateException | IllegalArgumentException e) {
            message.setText(e.getMessage());
            return false;
        }
    }

    /** Numbers as a student would write them: 0.001, not 1.0E-3. */
    static String plain(double v) {
        return ParamEditor.plain(v);
    }
}
