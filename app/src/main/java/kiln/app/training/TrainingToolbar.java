package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The Training tab's bar: Train, Pause/Resume and Stop, Repeat and Cross-validate, the learning-rate finder and
 * Sweep…, what the run is at, and the locked badge. Each button is enabled as the run's state allows.
 */
final class TrainingToolbar extends ToolBar {

    /** What the buttons do; the view decides. Repeat and Cross-validate are given the count the student chose. */
    record Actions(Runnable train, Runnable pauseOrResume, Runnable stop, IntConsumer repeat, IntConsumer crossValidate,
                   Runnable findRate, Runnable sweep) { }

    private final Button stop = new Button("Stop");
    private final Label epochLabel = new Label("No run yet");

    TrainingToolbar(ReadOnlyObjectProperty<RunState> state, ReadOnlyBooleanProperty locked, LongSupplier seed, Window owner,
                    Actions actions) {
        BooleanBinding active = Bindings.createBooleanBinding(() -> state.get().isActive(), state);
        Button train = button("Train", "trainButton", "Check the project and train a new run with these settings.",
                actions.train());
        train.getStyleClass().add(Styles.TEXT_BOLD);
        BooleanBinding busy = active.or(locked); // this view's run, or a sweep's trials
        train.disableProperty().bind(busy);
        Button pause = button("Pause", "pauseButton",
                "Hold training after the current batch; Resume goes on where it stopped.", actions.pauseOrResume());
        pause.disableProperty().bind(state.isNotEqualTo(RunState.TRAINING).and(state.isNotEqualTo(RunState.PAUSED)));
        pause.textProperty().bind(Bindings.when(state.isEqualTo(RunState.PAUSED)).then("Resume").otherwise("Pause"));
        stop.setId("stopButton");
        stop.setTooltip(new Tooltip("End the run after the current batch. Finished epochs stay saved."));
        stop.setOnAction(e -> actions.stop().run());
        stop.disableProperty().bind(active.not().or(state.isEqualTo(RunState.STOPPING)));
        Button repeat = button("Repeat with N seeds…", "repeatButton", "Train this run again with several seeds, one "
                + "after another: the mean, spread and 95 % interval of the test accuracy show how much of a result is luck.",
                () -> CountDialog.ask(owner, "Repeat with N seeds", "Train the same run with the seeds " + seed.getAsLong()
                        + ", " + (seed.getAsLong() + 1) + ", … one after another.", "Seeds", 2, 3)
                        .ifPresent(actions.repeat()::accept));
        Button crossValidate = button("Cross-validate (k folds)…", "crossValidateButton", "k-fold cross-validation: k "
                + "runs, each validating on a different part of the training and validation data; the test split is left out.",
                () -> CountDialog.ask(owner, "Cross-validate", "Deal the training and validation data into k folds (same "
                        + "class mix in each) and train one run per fold.", "Folds", 2, 5)
                        .ifPresent(actions.crossValidate()::accept));
        Button findRate = button("Find learning rate…", "findRateButton",
                "A short range test: the loss against a rising learning rate, and a suggested rate.", actions.findRate());
        Button sweep = button("Sweep…", "sweepButton", "Try several values of training settings or layer parameters, "
                + "one run per trial, and compare them.", actions.sweep());
        for (Button b : List.of(repeat, crossValidate, findRate, sweep)) b.disableProperty().bind(busy);
        for (Region r : List.of(train, pause, stop, repeat, crossValidate, findRate, sweep)) r.setMinWidth(Region.USE_PREF_SIZE);

        epochLabel.setId("epochLabel");
        epochLabel.getStyleClass().add("epoch-label");
        Label lockedBadge = new Label("Project locked while training");
        lockedBadge.setId("lockedLabel");
        lockedBadge.getStyleClass().add("locked-badge");
        lockedBadge.visibleProperty().bind(locked);
        lockedBadge.managedProperty().bind(locked);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getItems().addAll(train, pause, stop, new Separator(Orientation.VERTICAL), repeat, crossValidate,
                new Separator(Orientation.VERTICAL), findRate, sweep,
                new Separator(Orientation.VERTICAL), epochLabel, grow, lockedBadge);
    }

    /** Where the run is: "Epoch 3 of 5", "Fold 2 of 5 · Epoch 1 of 40", "Finished (5 epochs)". */
    Label epochLabel() {
        return epochLabel;
    }

    /** Takes the focus out of the settings once they are read-only (no caret blinking and repainting the window). */
    void focusStop() {
        stop.requestFocus();
    }

    private static Button button(String text, String id, String help, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(help));
        b.setOnAction(e -> action.run());
        return b;
    }
}
