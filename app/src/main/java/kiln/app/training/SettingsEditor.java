package kiln.app.training;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import kiln.app.document.ProjectDocument;
import kiln.app.ui.ViewParts;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The training settings of a project as a form. Each accepted change is one undoable edit of the project's
 * settings; a value the settings refuse is put back and the reason shown. Read-only while the project trains.
 */
final class SettingsEditor extends VBox {

    /** One text field: how to show it, how to apply a typed value, and what to tell the student. */
    private record Field(String id, String label, String range, String help,
                         Function<TrainingSettings, String> show,
                         BiFunction<TrainingSettings, String, TrainingSettings> apply) { }

    private final ProjectDocument document;
    private final Label message = new Label();
    private final List<Runnable> refreshers = new ArrayList<>();
    private final List<Control> editors = new ArrayList<>();
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

        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints values = new ColumnConstraints(90, 110, Double.MAX_VALUE);
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, values);

        int row = 0;
        addChoice(grid, row++, "optimizer", "Optimizer", TrainingSettings.OPTIMIZERS,
                "How the weights are moved each step. Adam adapts the step per weight and works well with its "
                        + "default rate 0.001; SGD (with Nesterov momentum) needs a larger rate (0.01–0.1); RMSProp "
                        + "sits between.", TrainingSettings::optimizer,
                (s, v) -> copy(s, v, s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(), s.stepFactor(),
                        s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads()));
        row = addField(grid, row, new Field("learningRate", "Learning rate", "above 0, at most 10",
                "How big each step is. Too small and the loss hardly moves; too big and it jumps around or explodes.",
                s -> plain(s.learningRate()),
                (s, v) -> copy(s, s.optimizer(), number(v, "Learning rate"), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads())));
        addChoice(grid, row++, "schedule", "Schedule", TrainingSettings.SCHEDULES,
                "How the learning rate changes over the run: constant; step (multiplied by the step factor every "
                        + "few epochs); cosine (eases down to 0 by the last epoch).", TrainingSettings::schedule,
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), v, s.stepEpochs(), s.stepFactor(),
                        s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads()));
        row = addField(grid, row, new Field("stepEpochs", "Step every", "1 or more epochs",
                "Step schedule: the learning rate changes after this many epochs.",
                s -> Integer.toString(s.stepEpochs()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), integer(v, "Step every"),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("stepFactor", "Step factor", "above 0, at most 1",
                "Step schedule: the learning rate is multiplied by this at each step (0.5 halves it).",
                s -> plain(s.stepFactor()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        number(v, "Step factor"), s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("momentum", "Momentum", "0 up to (not including) 1",
                "SGD only: how much of the previous step carries into the next (0.9 is usual; 0 is plain SGD). "
                        + "Adam and RMSProp ignore it.",
                s -> plain(s.momentum()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), number(v, "Momentum"), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("batchSize", "Batch size", "1 to 65536",
                "Samples per step. Larger batches give smoother but fewer steps per epoch; 32–128 is typical.",
                s -> Integer.toString(s.batchSize()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), integer(v, "Batch size"), s.epochs(), s.l2(), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("epochs", "Epochs", "1 to 10000",
                "How many times the network sees every training sample.",
                s -> Integer.toString(s.epochs()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), integer(v, "Epochs"), s.l2(), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("l2", "L2", "0 (off) to 1",
                "Weight decay: pulls weights towards 0 so the network cannot memorise as easily. 1e-4 is a typical start.",
                s -> plain(s.l2()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), number(v, "L2"), s.patience(), s.seed(), s.threads())));
        row = addField(grid, row, new Field("patience", "Early stop after", "0 (off) or more epochs",
                "Stop when the validation loss has not improved for this many epochs, and keep the best epoch's weights.",
                s -> Integer.toString(s.patience()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), integer(v, "Early stop after"), s.seed(), s.threads())));
        row = addField(grid, row, new Field("seed", "Seed", "any whole number",
                "Starts the random weights and the shuffling; the same seed and settings give the same run.",
                s -> Long.toString(s.seed()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), s.patience(), longValue(v, "Seed"), s.threads())));
        row = addField(grid, row, new Field("threads", "Threads", "0 (automatic) to 256",
                "Processor threads for the maths. 0 chooses by the network's size: one thread is faster for small networks.",
                s -> Integer.toString(s.threads()),
                (s, v) -> copy(s, s.optimizer(), s.learningRate(), s.momentum(), s.schedule(), s.stepEpochs(),
                        s.stepFactor(), s.batchSize(), s.epochs(), s.l2(), s.patience(), s.seed(), integer(v, "Threads"))));

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
        Tooltip.install(limit, tip("For a quick try: train on only the first N training samples (validation and test "
                + "stay whole). The run records the limit."));

        // The two-phase fine-tuning recipe, below the quick try so the usual settings keep their place.
        GridPane recipe = new GridPane();
        recipe.setHgap(6);
        recipe.setVgap(6);
        recipe.getColumnConstraints().addAll(new ColumnConstraints(), new ColumnConstraints(90, 110, Double.MAX_VALUE));
        recipe.getColumnConstraints().get(1).setHgrow(Priority.ALWAYS);
        int recipeRow = addField(recipe, 0, new Field("headEpochs", "Head epochs", "0 (off) to 10000",
                TrainingSettings.HEAD_EPOCHS_HELP, s -> Integer.toString(s.headEpochs()),
                (s, v) -> s.withHeadFirst(integer(v, "Head-first epochs"), s.fineTuneRateFactor())));
        addField(recipe, recipeRow, new Field("fineTuneRateFactor", "Fine-tune ×", "above 0, at most 1",
                TrainingSettings.FINE_TUNE_RATE_FACTOR_HELP, s -> plain(s.fineTuneRateFactor()),
                (s, v) -> s.withHeadFirst(s.headEpochs(), number(v, "Fine-tune rate factor"))));

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
        getChildren().addAll(title, grid, limitRow, recipe, message, hint);

        for (Control c : editors) c.disableProperty().bind(document.lockedProperty());
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
        refreshers.forEach(Runnable::run);
    }

    private int addField(GridPane grid, int row, Field f) {
        Label name = new Label(f.label());
        TextField field = new TextField();
        field.setId(f.id());
        field.setPromptText(f.range());
        Tooltip help = tip(f.help() + "\nAllowed: " + f.range() + ".");
        Tooltip.install(name, help);
        field.setTooltip(help);
        field.setOnAction(e -> commit(f, field));
        field.focusedProperty().addListener((o, was, is) -> {
            if (!is) commit(f, field);
        });
        refreshers.add(() -> field.setText(f.show().apply(document.project().training())));
        editors.add(field);
        grid.addRow(row, name, field);
        return row + 1;
    }

    private void addChoice(GridPane grid, int row, String id, String label, List<String> choices, String help,
                           Function<TrainingSettings, String> show, BiFunction<TrainingSettings, String, TrainingSettings> apply) {
        Label name = new Label(label);
        ComboBox<String> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(choices);
        box.setMaxWidth(Double.MAX_VALUE);
        Tooltip t = tip(help);
        Tooltip.install(name, t);
        box.setTooltip(t);
        boolean[] refreshing = {false};
        box.valueProperty().addListener((o, old, v) -> {
            if (refreshing[0] || v == null) return;
            TrainingSettings now = document.project().training();
            apply(label, v, apply.apply(now, v), () -> box.setValue(show.apply(now)));
        });
        refreshers.add(() -> {
            refreshing[0] = true;
            box.setValue(show.apply(document.project().training()));
            refreshing[0] = false;
        });
        editors.add(box);
        grid.addRow(row, name, box);
    }

    private void commit(Field f, TextField field) {
        TrainingSettings now = document.project().training();
        String text = field.getText().trim();
        if (text.equals(f.show().apply(now))) return;
        TrainingSettings next;
        try {
            next = f.apply().apply(now, text);
        } catch (IllegalArgumentException e) {
            message.setText(e.getMessage());
            field.setText(f.show().apply(now));
            return;
        }
        apply(f.label(), text, next, () -> field.setText(f.show().apply(now)));
    }

    /** Checks the new settings and records the change, or shows why it is refused and puts the old value back. */
    private void apply(String label, String value, TrainingSettings next, Runnable revert) {
        List<String> problems = next.problems();
        List<String> before = document.project().training().problems();
        List<String> fresh = problems.stream().filter(p -> !before.contains(p)).toList();
        if (!fresh.isEmpty()) {
            message.setText(String.join("\n", fresh));
            revert.run();
            return;
        }
        Project p = document.project();
        try {
            document.execute(new ValueChange<>("Set " + label.toLowerCase(Locale.ROOT) + " to " + value,
                    p::training, p::setTraining, next));
            message.setText("");
        } catch (IllegalStateException | IllegalArgumentException e) {
            message.setText(e.getMessage());
            revert.run();
        }
    }

    private static TrainingSettings copy(TrainingSettings s, String optimizer, double learningRate, double momentum,
                                         String schedule, int stepEpochs, double stepFactor, int batchSize, int epochs,
                                         double l2, int patience, long seed, int threads) {
        return new TrainingSettings(optimizer, learningRate, momentum, schedule, stepEpochs, stepFactor, batchSize,
                epochs, l2, patience, seed, threads, s.headEpochs(), s.fineTuneRateFactor());
    }

    private static double number(String text, String label) {
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + ": '" + text + "' is not a number (write e.g. 0.001 or 1e-3).");
        }
    }

    private static int integer(String text, String label) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + ": '" + text + "' is not a whole number.");
        }
    }

    private static long longValue(String text, String label) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label + ": '" + text + "' is not a whole number.");
        }
    }

    /** Numbers as a student would write them: 0.001, not 1.0E-3. */
    static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static Tooltip tip(String text) {
        Tooltip t = new Tooltip(text);
        t.setWrapText(true);
        t.setMaxWidth(320);
        t.setShowDelay(Duration.millis(300));
        t.setShowDuration(Duration.seconds(30));
        return t;
    }
}
