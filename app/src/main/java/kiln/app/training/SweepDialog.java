package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Modality;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.model.Node;
import kiln.engine.params.ParamSpec;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.runs.TrainingEvent;
import kiln.engine.sweep.Sweep;
import kiln.engine.sweep.SweepParam;
import kiln.engine.sweep.SweepPlan;
import kiln.engine.sweep.SweepSpec;
import kiln.engine.sweep.SweepSpecException;
import kiln.engine.sweep.SweepTrial;
import kiln.widgets.charts.CurveChart;
import kiln.widgets.tasks.EventRelay;
import kiln.widgets.tasks.TaskHandle;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Training → Sweep…: pick parameters and their values, run the trials one after another on the executor (progress,
 * time left, Stop keeps the finished trials; Run again resumes), and read the results: a sortable table of the trials,
 * the validation loss against a varied parameter, the best trial marked, and its values applied to the project as
 * one undoable edit. Each trial is a run in the project's history.
 */
final class SweepDialog {

    /** The sweep's first lines: the trials the spec gives and, on a resumed sweep, the ones already finished. */
    private record Opened(SweepPlan plan) { }

    private final ViewContext context;
    private final Runnable runsChanged;
    private final Stage stage = new Stage();
    private final VBox rows = new VBox(6);
    private final List<ParamRow> paramRows = new ArrayList<>();
    private final TextField randomTrials = new TextField();
    private final TextField epochs = new TextField();
    private final Label summary = new Label();
    private final Button run = new Button("Run sweep");
    private final Button stop = new Button("Stop");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final TableView<SweepTrial> table = new TableView<>();
    private final ObservableList<SweepTrial> trials = FXCollections.observableArrayList();
    private final ComboBox<String> chartParam = new ComboBox<>();
    private final StackPane chartHolder = new StackPane();
    private final Button apply = new Button("Apply these values to the project");
    private final Label result = new Label();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty valid = new SimpleBooleanProperty();
    private final SimpleObjectProperty<SweepTrial> best = new SimpleObjectProperty<>();
    private List<SweepParam> varied = List.of();
    private CurveChart chart;
    private TaskHandle task;
    private volatile Sweep sweep;
    private EventRelay<Object> relay;
    private final SweepProgress timing = new SweepProgress();

    SweepDialog(ViewContext context, Runnable runsChanged) {
        this.context = context;
        this.runsChanged = runsChanged;
        ProjectDocument document = context.document();
        stage.setTitle("Sweep — " + document.project().name());
        if (context.owner() != null) {
            stage.initOwner(context.owner());
            stage.initModality(Modality.WINDOW_MODAL);
        }
        Label intro = new Label("Vary training settings or layer parameters: one run per combination of the values "
                + "(or per random pick), one after another, each kept in the run history. Values: a list "
                + "(0.0003,0.001,0.003), a range of so many points (16:128:4) or on a log scale (1e-4:1e-2:log:5); with "
                + "random trials also a range to sample (1e-4:1e-2:log). Trials are ranked by validation loss.");
        intro.setWrapText(true);
        intro.setMinHeight(Region.USE_PREF_SIZE);
        intro.getStyleClass().add(Styles.TEXT_MUTED);

        Button add = new Button("Add parameter");
        add.setId("sweepAddParam");
        add.setOnAction(e -> addRow(null));
        randomTrials.setId("sweepRandom");
        randomTrials.setPromptText("all (grid)");
        randomTrials.setPrefColumnCount(6);
        epochs.setId("sweepEpochs");
        epochs.setText(Integer.toString(document.project().training().epochs()));
        epochs.setPrefColumnCount(5);
        randomTrials.textProperty().addListener((o, a, b) -> check());
        epochs.textProperty().addListener((o, a, b) -> check());
        GridPane options = new GridPane();
        options.setHgap(8);
        options.setVgap(6);
        options.addRow(0, new Label("Random trials"), randomTrials, new Label("Epochs per trial"), epochs);
        summary.setId("sweepSummary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);

        run.setId("sweepRun");
        run.setDefaultButton(true);
        run.setOnAction(e -> start());
        stop.setId("sweepStop");
        stop.setOnAction(e -> stopSweep());
        stop.disableProperty().bind(running.not());
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.visibleProperty().bind(running);
        HBox.setHgrow(progress, Priority.ALWAYS);
        status.setId("sweepStatus");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        HBox runBar = new HBox(8, run, stop, progress);
        runBar.setAlignment(Pos.CENTER_LEFT);

        buildTable();
        chartParam.setId("sweepChartParam");
        chartParam.valueProperty().addListener((o, a, b) -> drawChart());
        chartHolder.setPrefSize(700, 300);
        chartHolder.setMaxWidth(Double.MAX_VALUE);
        apply.setId("sweepApply");
        apply.setDisable(true);
        apply.setOnAction(e -> applySelected());
        result.setId("sweepResult");
        result.setWrapText(true);
        result.setMinHeight(Region.USE_PREF_SIZE);
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        HBox chartBar = new HBox(8, new Label("Chart against"), chartParam);
        chartBar.setAlignment(Pos.CENTER_LEFT);
        VBox chartBox = new VBox(6, chartBar, chartHolder);
        table.setPrefHeight(290);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, apply, grow, close);
        buttons.setAlignment(Pos.CENTER_LEFT);

        VBox root = new VBox(10, intro, rows, add, options, summary, runBar, status, table, result, buttons, chartBox);
        root.setId("sweepContent");
        root.setPadding(new Insets(14));
        // A fixed size that fits a small screen; the content scrolls when the table and chart need more.
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(root);
        scroll.setFitToWidth(true);
        Scene scene = new Scene(scroll, 1000, 760);
        scene.getStylesheets().add(SweepDialog.class.getResource("/kiln/app/kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            Sweep s = sweep;
            if (s != null) s.stop();
            if (running.get()) document.lockedProperty().set(false); // the trial in progress ends within a batch
            if (task != null) task.cancel();
            if (relay != null) relay.close();
        });
        // Training holds the cores and the project; a sweep beside it would compete for both.
        run.disableProperty().bind(document.lockedProperty().or(running).or(valid.not()));
        addRow("training.learningRate");
    }

    void show() {
        stage.show();
    }

    Stage stage() {
        return stage;
    }

    /** Every training setting, then every layer parameter, by address. */
    private List<String> targets() {
        List<String> out = new ArrayList<>();
        Stream.concat(TrainingSettings.PARAMS.stream(), TrainingSettings.HEAD_FIRST_PARAMS.stream())
                .filter(s -> !s.name().equals("threads"))
                .forEach(s -> out.add(SweepParam.TRAINING + "." + s.name()));
        for (Node n : context.document().project().graph().nodes()) {
            if (n.type().role() == kiln.engine.catalog.LayerType.Role.INPUT) continue;
            for (ParamSpec s : n.type().params()) out.add(n.name() + "." + s.name());
        }
        return out;
    }

    /** One parameter row: what to vary and its values; a new choice fills in values around the project's own. */
    private final class ParamRow {
        final ComboBox<String> target = new ComboBox<>(FXCollections.observableArrayList(targets()));
        final TextField values = new TextField();
        final HBox node;

        ParamRow(String initial) {
            int i = paramRows.size();
            target.setId("sweepTarget" + i);
            values.setId("sweepValues" + i);
            target.setPrefWidth(240);
            values.setPrefColumnCount(24);
            HBox.setHgrow(values, Priority.ALWAYS);
            Button remove = new Button("Remove");
            node = new HBox(8, target, values, remove);
            node.setAlignment(Pos.CENTER_LEFT);
            remove.setOnAction(e -> {
                paramRows.remove(this);
                rows.getChildren().remove(node);
                check();
            });
            target.valueProperty().addListener((o, a, b) -> {
                if (b != null) values.setText(suggestedValues(b));
                check();
            });
            values.textProperty().addListener((o, a, b) -> check());
            if (initial != null) target.setValue(initial);
        }

        String text() {
            return target.getValue() + "=" + values.getText().strip();
        }
    }

    private void addRow(String initial) {
        ParamRow row = new ParamRow(initial);
        paramRows.add(row);
        rows.getChildren().add(row.node);
        check();
    }

    /** Values around the project's own: a third and three times a rate, half and double a size, every choice. */
    private String suggestedValues(String target) {
        int dot = target.lastIndexOf('.');
        String owner = target.substring(0, dot);
        String name = target.substring(dot + 1);
        Project p = context.document().project();
        ParamSpec spec;
        Object current;
        if (owner.equals(SweepParam.TRAINING)) {
            spec = Stream.concat(TrainingSettings.PARAMS.stream(), TrainingSettings.HEAD_FIRST_PARAMS.stream())
                    .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            current = p.training().values().get(name);
        } else {
            Node n = p.graph().node(owner);
            spec = n.type().param(name);
            current = n.params().get(name);
        }
        return switch (spec.kind()) {
            case CHOICE -> String.join(",", spec.choices());
            case BOOLEAN -> "true,false";
            case INT -> {
                long v = ((Number) current).longValue();
                yield Stream.of(v / 2, v, v * 2).filter(x -> spec.inRange(x)).distinct()
                        .map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(String.valueOf(v));
            }
            case DOUBLE -> {
                double v = ((Number) current).doubleValue();
                if (v == 0) yield "0,0.0001,0.001";
                yield Stream.of(v / 3, v, v * 3).filter(spec::inRange)
                        .map(x -> SweepParam.format(new BigDecimal(x).round(new MathContext(2)).doubleValue()))
                        .distinct().reduce((a, b) -> a + "," + b).orElse(SweepParam.format(v));
            }
        };
    }

    /** The sweep as the fields say, or why not, in the summary line; the Run button follows. */
    private void check() {
        try {
            SweepSpec spec = spec(context.document().project());
            int n = spec.trials().size();
            summary.setText(n + " trial" + (n == 1 ? "" : "s") + (spec.isGrid() ? " (every combination)" : " (random picks)")
                    + ", " + epochs.getText().strip() + " epochs each.");
            summary.getStyleClass().remove(Styles.DANGER);
            valid.set(true);
        } catch (SweepSpecException | IllegalArgumentException e) {
            valid.set(false);
            summary.setText(e.getMessage());
            if (!summary.getStyleClass().contains(Styles.DANGER)) summary.getStyleClass().add(Styles.DANGER);
        }
    }

    private SweepSpec spec(Project project) throws SweepSpecException {
        List<SweepParam> params = new ArrayList<>();
        for (ParamRow row : paramRows) {
            if (row.target.getValue() == null) throw new SweepSpecException("Choose what to vary in every row, or remove the row.");
            params.add(SweepParam.parse(row.text(), project));
        }
        String random = randomTrials.getText().strip();
        int count = 0;
        if (!random.isEmpty()) {
            try {
                count = Integer.parseInt(random);
            } catch (NumberFormatException e) {
                throw new SweepSpecException("Random trials is '" + random + "'; give a whole number, or leave it empty for every combination.");
            }
            if (count < 1) throw new SweepSpecException("Random trials is " + count + "; use 1 or more, or leave it empty for every combination.");
        }
        epochsValue();
        return SweepSpec.of(params, count, project.training().seed());
    }

    private int epochsValue() throws SweepSpecException {
        String text = epochs.getText().strip();
        try {
            int e = Integer.parseInt(text);
            if (e >= 1 && e <= TrainingSettings.MAX_EPOCHS) return e;
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new SweepSpecException("Epochs per trial is '" + text + "'; use 1 to " + TrainingSettings.MAX_EPOCHS + ".");
    }

    private void start() {
        ProjectDocument document = context.document();
        if (document.folder() == null) {
            showResult("Save the project first: the trials' runs are kept in the project's folder.", true);
            return;
        }
        Project live = document.project();
        // A copy, made here on the JavaFX thread: the trials train what the project was when Run was pressed.
        Project snapshot = new Project(live.name(), live.graph().copy(), live.data(), live.pipeline(), live.split(), live.training());
        SweepSpec spec;
        try {
            snapshot.setTraining(snapshot.training().withEpochs(epochsValue()));
            spec = spec(snapshot);
        } catch (SweepSpecException e) {
            showResult(e.getMessage(), true);
            return;
        }
        List<String> texts = paramRows.stream().map(ParamRow::text).toList();
        Path folder = document.folder();
        varied = spec.params();
        prepareTable();
        trials.clear();
        best.set(null);
        apply.setDisable(true);
        showResult("", false);
        running.set(true);
        document.lockedProperty().set(true); // no Train, and no edits, beside the trials
        status.setText("Checking the trials and preparing the data…");
        progress.setProgress(-1);
        timing.reset();
        if (relay != null) relay.close();
        relay = new EventRelay<>(e -> !(e instanceof Sweep.Event.Training t && t.event() instanceof TrainingEvent.BatchFinished),
                500, this::receive);
        EventRelay<Object> events = relay;
        task = context.executor().submit("Sweep", p -> {
            Sweep s = Sweep.open(snapshot, folder, spec, texts, 0);
            sweep = s;
            events.offer(new Opened(s.plan()));
            Sweep.Outcome outcome = s.run(events::offer);
            return outcome;
        }, outcome -> {
            events.flush();
            ended(outcome);
        }, error -> {
            events.flush();
            running.set(false);
            document.lockedProperty().set(false);
            sweep = null;
            status.setText("");
            showResult("The sweep could not run: " + error.getMessage(), true);
        });
    }

    private void stopSweep() {
        Sweep s = sweep;
        if (s != null) s.stop();
        status.setText("Stopping after the current batch…");
    }

    private void receive(List<Object> batch) {
        for (Object e : batch) {
            if (e instanceof Opened o) {
                trials.setAll(o.plan().trials());
                timing.opened(o.plan());
                updateBest();
            } else if (e instanceof Sweep.Event.TrialStarted s) {
                timing.trialStarted(s.trial());
            } else if (e instanceof Sweep.Event.Training t) {
                timing.training(t.event());
            } else if (e instanceof Sweep.Event.TrialEnded ended) {
                trials.set(ended.trial().number() - 1, ended.trial());
                timing.trialEnded();
                updateBest();
                runsChanged.run();
            }
        }
        if (running.get() && timing.total() > 0) {
            progress.setProgress(timing.fraction());
            status.setText(timing.describe());
        }
    }

    private void ended(Sweep.Outcome outcome) {
        running.set(false);
        context.document().lockedProperty().set(false);
        Sweep s = sweep;
        sweep = null;
        long finished = trials.stream().filter(SweepTrial::finished).count();
        status.setText("");
        if (outcome == Sweep.Outcome.STOPPED) {
            showResult(String.format(Locale.ROOT, "Stopped: %d of %d trials finished and kept. Run sweep again with the "
                    + "same values to go on where it stopped.", finished, trials.size()), false);
        } else {
            showResult(best.get() == null ? "Every trial failed; see their messages in the table."
                    : "Best: " + best.get().label() + " (lowest validation loss). The plan is in runs/"
                    + (s == null ? "" : s.plan().id()) + ".json.", false);
        }
        runsChanged.run();
    }

    private void updateBest() {
        best.set(trials.stream().filter(SweepTrial::done).min(Comparator.comparingDouble(SweepTrial::validationLoss)).orElse(null));
        apply.setDisable(best.get() == null);
        table.refresh();
        drawChart();
    }

    private void buildTable() {
        table.setId("sweepTable");
        table.setItems(new javafx.collections.transformation.SortedList<>(trials));
        ((javafx.collections.transformation.SortedList<SweepTrial>) table.getItems()).comparatorProperty().bind(table.comparatorProperty());
        table.setPlaceholder(new Label("The trials appear here as they run."));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            apply.setText(b == null || b == best.get() ? "Apply these values to the project"
                    : "Apply trial " + b.number() + "'s values to the project");
        });
        prepareTable();
    }

    /** Trial, one column per varied parameter, then the scores; every column sorts by its values. */
    private void prepareTable() {
        table.getColumns().clear();
        TableColumn<SweepTrial, Number> number = new TableColumn<>("Trial");
        number.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().number()));
        number.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number n, boolean empty) {
                super.updateItem(n, empty);
                SweepTrial t = empty ? null : getTableRow().getItem();
                setText(empty || n == null ? null : n + (t != null && t == best.get() ? "  ★ best" : ""));
            }
        });
        table.getColumns().add(number);
        for (SweepParam p : varied) {
            TableColumn<SweepTrial, Object> col = new TableColumn<>(p.target());
            col.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().values().get(p.target())));
            col.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(Object v, boolean empty) {
                    super.updateItem(v, empty);
                    setText(empty || v == null ? null : SweepParam.format(v));
                }
            });
            col.setComparator((a, b) -> a instanceof Number x && b instanceof Number y
                    ? Double.compare(x.doubleValue(), y.doubleValue()) : String.valueOf(a).compareTo(String.valueOf(b)));
            table.getColumns().add(col);
        }
        table.getColumns().add(metric("Val loss", SweepTrial::validationLoss));
        table.getColumns().add(metric("Val accuracy", SweepTrial::validationAccuracy));
        table.getColumns().add(metric("Test accuracy", SweepTrial::testAccuracy));
        TableColumn<SweepTrial, String> runCol = new TableColumn<>("Run");
        runCol.setCellValueFactory(c -> new SimpleObjectProperty<>(c.getValue().status().equals(SweepTrial.FAILED)
                ? "failed: " + c.getValue().message() : c.getValue().run() == null ? "waiting" : c.getValue().run()));
        table.getColumns().add(runCol);
        table.getColumns().forEach(c -> kiln.widgets.util.TableColumns.atLeast(c, 56));
        kiln.widgets.util.TableColumns.atLeast(number, 90); // room for "★ best"
        List<String> numeric = varied.stream().filter(p -> p.spec().kind() == ParamSpec.ParamKind.INT
                || p.spec().kind() == ParamSpec.ParamKind.DOUBLE).map(SweepParam::target).toList();
        chartParam.getItems().setAll(numeric);
        if (!numeric.isEmpty()) chartParam.setValue(numeric.get(0));
    }

    private static TableColumn<SweepTrial, Number> metric(String title, java.util.function.ToDoubleFunction<SweepTrial> value) {
        TableColumn<SweepTrial, Number> col = new TableColumn<>(title);
        col.setCellValueFactory(c -> new SimpleObjectProperty<>(value.applyAsDouble(c.getValue())));
        col.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null || Double.isNaN(v.doubleValue()) ? null : String.format(Locale.ROOT, "%.4f", v.doubleValue()));
            }
        });
        col.setComparator(Comparator.comparingDouble(Number::doubleValue));
        return col;
    }

    /**
     * Validation loss against the chosen parameter: one line per combination of the other values, the best trial as
     * its own point; a log axis when the values span a log range (or a factor of ten or more).
     */
    private void drawChart() {
        String target = chartParam.getValue();
        Optional<SweepParam> param = varied.stream().filter(p -> p.target().equals(target)).findFirst();
        if (param.isEmpty()) {
            chartHolder.getChildren().clear();
            chart = null;
            return;
        }
        List<SweepTrial> done = trials.stream().filter(SweepTrial::done).toList();
        double min = done.stream().mapToDouble(t -> x(t, target)).min().orElse(1);
        double max = done.stream().mapToDouble(t -> x(t, target)).max().orElse(1);
        boolean log = param.get().log() || (min > 0 && max / min >= 10);
        chart = new CurveChart("Validation loss per trial", target, "Validation loss", context.executor());
        chart.setId("sweepChart");
        if (log) chart.setLogX();
        chart.setShowPoints(true);
        chartHolder.getChildren().setAll(chart);
        Color[] colors = {Color.web("#0969da"), Color.web("#8250df"), Color.web("#1a7f37"), Color.web("#bf3989"),
                Color.web("#9a6700"), Color.web("#57606a")};
        Map<String, List<SweepTrial>> lines = new LinkedHashMap<>();
        for (SweepTrial t : done) {
            Map<String, Object> others = new LinkedHashMap<>(t.values());
            others.remove(target);
            lines.computeIfAbsent(others.isEmpty() ? "trials" : SweepSpec.describe(others), k -> new ArrayList<>()).add(t);
        }
        CurveChart c = chart;
        c.update(() -> {
            // first, so that it is drawn over the lines
            SweepTrial b = best.get();
            if (b != null) {
                c.curve("best", "best: trial " + b.number(), Color.web("#cf222e"), CurveChart.Style.SOLID)
                        .add(x(b, target), b.validationLoss());
            }
            int i = 0;
            for (var e : lines.entrySet()) {
                CurveChart.Curve curve = c.curve("line" + i, e.getKey(), colors[i % colors.length], CurveChart.Style.SOLID);
                e.getValue().stream().sorted(Comparator.comparingDouble(t -> x(t, target)))
                        .forEach(t -> curve.add(x(t, target), t.validationLoss()));
                i++;
            }
        });
    }

    private static double x(SweepTrial t, String target) {
        return ((Number) t.values().get(target)).doubleValue();
    }

    /** The selected trial's values (the best one when none is selected) into the project, as one undoable edit. */
    private void applySelected() {
        SweepTrial chosen = table.getSelectionModel().getSelectedItem();
        if (chosen == null || !chosen.done()) chosen = best.get();
        if (chosen == null) return;
        try {
            context.document().execute(new ApplyTrialValues(context.document().project(), chosen));
            showResult("The project now has the values of " + chosen.label() + " (Edit → Undo takes them back).", false);
        } catch (IllegalStateException | IllegalArgumentException e) {
            showResult("The values could not be applied: " + e.getMessage(), true);
        }
    }

    private void showResult(String text, boolean problem) {
        result.setText(text);
        result.getStyleClass().remove(Styles.DANGER);
        if (problem) result.getStyleClass().add(Styles.DANGER);
    }
}
