package kiln.app;

import kiln.app.document.DocumentView;
import kiln.app.document.ViewContext;

import java.util.List;
import java.util.function.Function;

/**
 * The tabs of the main window, in order. Each entry builds a fresh view for every opened project; adding a
 * view is one line here.
 */
public final class Views {

    /** A tab: its title and how to build its view of a project. */
    public record Entry(String title, Function<ViewContext, DocumentView> factory) { }

    public static final String MODEL = "Model";
    public static final String DATA = "Data";
    public static final String TRAINING = "Training";
    public static final String EVALUATION = "Evaluation";

    public static final List<Entry> ALL = List.of(
            new Entry(MODEL, ModelView::new),
            new Entry(DATA, kiln.app.data.DataView::new),
            new Entry(TRAINING, kiln.app.training.TrainingView::new),
            new Entry(EVALUATION, kiln.app.eval.EvaluationView::new)
    );

    private Views() { }
}
