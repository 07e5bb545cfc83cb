package kiln.app;

import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import kiln.app.document.ProjectDocument;
import kiln.engine.model.GraphAnalysis;
import kiln.engine.model.ShapeInference;
import kiln.engine.train.TrainingSession;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;
import org.controlsfx.control.StatusBar;

import java.util.List;
import java.util.Locale;

/**
 * The window's status bar: the latest message, the progress of the work running on the executor, and a line
 * about the open model (layers, parameters, problems).
 */
final class WindowStatusBar extends StatusBar {

    private final TaskExecutor executor;
    private final Label modelInfo = new Label();
    /** Our own bar: the status bar's built-in one is squeezed to a sliver next to the model line. */
    private final ProgressBar taskProgress = new ProgressBar();

    WindowStatusBar(TaskExecutor executor) {
        this.executor = executor;
        setText("Ready");
        taskProgress.setPrefWidth(140);
        taskProgress.managedProperty().bind(taskProgress.visibleProperty());
        taskProgress.setVisible(false);
        getRightItems().addAll(taskProgress, modelInfo);
        executor.running().addListener((ListChangeListener<TaskHandle>) c -> showProgress());
    }

    /** The line about the open project's model. */
    void showModel(ProjectDocument document) {
        GraphAnalysis a = ShapeInference.analyze(document.project().graph());
        // Network, settings and pipeline; whether the data fits is known only once it is read (Train says so).
        int problems = TrainingSession.problems(document.project()).size();
        modelInfo.setText(String.format(Locale.ROOT, "%d layers · %,d parameters · %s", a.order().size(), a.totalParams(),
                problems == 0 ? "no problems found" : problems == 1 ? "1 problem" : problems + " problems"));
    }

    private void showProgress() {
        List<TaskHandle> running = executor.running();
        taskProgress.progressProperty().unbind();
        taskProgress.visibleProperty().unbind();
        if (running.isEmpty()) {
            taskProgress.setVisible(false);
            if (getText().endsWith(" …")) setText("Ready");
        } else {
            TaskHandle h = running.get(0);
            // Only known fractions: an indeterminate bar animates every frame for as long as a run trains,
            // and on two cores that redrawing is taken from training. The text says the work is going on.
            taskProgress.progressProperty().bind(h.progressProperty());
            taskProgress.visibleProperty().bind(h.progressProperty().greaterThanOrEqualTo(0));
            setText(h.title() + " …");
        }
    }
}
