package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import kiln.app.ui.ViewParts;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineFitter;
import kiln.engine.data.pipeline.PipelinePreview;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.shape.TensorShape;
import kiln.widgets.charts.HistogramView;
import kiln.widgets.images.BeforeAfterGrid;
import kiln.widgets.images.SampleImages;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The Data tab's preview of the selected pipeline step: samples before and after it (or in fresh random
 * draws), table rows as text, and value histograms. Computed on the executor.
 */
final class StepPreview extends VBox {

    static final int SAMPLES = 8;
    static final int DRAWS = 4;

    private final TaskExecutor executor;
    private final Label title = new Label();
    private final Label description = new Label();
    private final Label note = new Label();
    private final BeforeAfterGrid grid = new BeforeAfterGrid(56);
    private final Label rows = new Label();
    private final HistogramView histogram = new HistogramView();
    private final Button newSeed = new Button("New seed");
    private final Random seeds = new Random();
    private long seed = 1;
    private TaskHandle handle;
    private Runnable last = () -> { };

    StepPreview(TaskExecutor executor) {
        super(8);
        this.executor = executor;
        title.getStyleClass().add(Styles.TEXT_BOLD);
        description.setWrapText(true);
        description.getStyleClass().add(Styles.TEXT_SMALL);
        note.setWrapText(true);
        note.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        rows.setWrapText(true); // one-hot rows are long: they wrap rather than being cut short
        rows.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        newSeed.setOnAction(e -> {
            seed = seeds.nextLong();
            last.run();
        });
        histogram.setVisible(false);
        histogram.setManaged(false);
        HBox bar = new HBox(8, ViewParts.sectionTitle("Preview"), title, ViewParts.spacer(), newSeed);
        bar.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(bar, description, note, histogram, grid, rows);
    }

    BeforeAfterGrid grid() {
        return grid;
    }

    HistogramView histogram() {
        return histogram;
    }

    void dispose() {
        if (handle != null) handle.cancel();
    }

    /** Previews step {@code i} of {@code p} as fitted by {@code fitter} (null while the data loads). */
    void show(PipelineFitter fitter, Pipeline p, int i) {
        last = () -> show(fitter, p, i);
        if (handle != null) handle.cancel();
        if (fitter == null || i < 0 || i >= p.steps().size()) {
            clear(p.steps().isEmpty() ? "Add a step to see its effect here." : "");
            return;
        }
        // preview the selected step as if switched on, so it can be tried before switching it on
        List<PipelineStep> on = new ArrayList<>(p.steps());
        PipelineStep sel = on.get(i);
        on.set(i, new PipelineStep(sel.type(), true, sel.params()));
        Pipeline trial = new Pipeline(on);
        List<String> problems = trial.problems(fitter.train().sampleShape());
        if (!problems.isEmpty()) {
            clear(String.join("\n", problems));
            return;
        }
        long drawSeed = seed;
        title.setText(PipelineEdits.name(sel) + " (computing…)");
        handle = executor.submit("Preview", progress -> {
            PipelinePreview.Result r;
            synchronized (fitter) {
                // previews queue on the fitter; one superseded while waiting stops here
                progress.checkCancelled();
                r = PipelinePreview.ofStep(fitter, trial, i, SAMPLES, DRAWS, drawSeed);
            }
            progress.checkCancelled();
            return new Images(r, images(r));
        }, this::showResult, error -> clear("The preview failed: " + error.getMessage()));
    }

    private record Images(PipelinePreview.Result result, List<BeforeAfterGrid.Row> rows) { }

    /** Made off the JavaFX thread. Augmented images keep the input's brightness scale, so brightness changes show. */
    private static List<BeforeAfterGrid.Row> images(PipelinePreview.Result r) {
        List<BeforeAfterGrid.Row> out = new ArrayList<>();
        if (r.beforeShape().kind() != TensorShape.Kind.IMAGE) return out;
        for (int s = 0; s < r.before().size(); s++) {
            float[] before = r.before().get(s);
            float[] range = range(List.of(before));
            List<Image> after = new ArrayList<>();
            float[] afterRange = r.kind() == StepType.Kind.AUGMENTATION ? range : range(r.after().get(s));
            for (float[] a : r.after().get(s)) after.add(SampleImages.toImage(a, 0, r.afterShape(), afterRange[0], afterRange[1]));
            out.add(new BeforeAfterGrid.Row(r.labels().get(s), SampleImages.toImage(before, 0, r.beforeShape(), range[0], range[1]), after));
        }
        return out;
    }

    private static float[] range(List<float[]> samples) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] s : samples) {
            for (float v : s) {
                if (v != v) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? new float[] {0, 1} : new float[] {lo, hi};
    }

    private void showResult(Images p) {
        PipelinePreview.Result r = p.result();
        title.setText(r.stepName());
        description.setText(r.description());
        String text = switch (r.kind()) {
            case NORMALIZATION -> "Statistics come from the training split only and are applied unchanged to validation and test data.";
            case AUGMENTATION -> "Each column is a fresh random draw; training draws again every epoch. Validation and test images are never augmented.";
            case CLEANING -> r.report() == null ? "" : "Training split: " + r.report().summary()
                    + (r.before().isEmpty() ? "." : ". The affected samples are shown below.");
        };
        note.setText(text);
        newSeed.setDisable(r.kind() != StepType.Kind.AUGMENTATION);
        grid.show(p.rows(), r.kind() == StepType.Kind.AUGMENTATION ? "draw" : "after");
        rows.setText(r.beforeShape().kind() == TensorShape.Kind.IMAGE ? "" : rowsText(r));
        boolean hist = r.afterHistogram() != null;
        histogram.setVisible(hist);
        histogram.setManaged(hist);
        if (hist) histogram.show(r.beforeHistogram(), r.afterHistogram());
    }

    /** Table rows before and after the step, e.g. "row 3 (x): 4, – → 4, 32.5". */
    static String rowsText(PipelinePreview.Result r) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < r.before().size(); s++) {
            b.append("training row ").append(r.indices()[s] + 1).append(" (").append(r.labels().get(s)).append("): ")
                    .append(values(r.before().get(s))).append("  →  ");
            b.append(r.after().get(s).isEmpty() ? "removed" : values(r.after().get(s).get(0))).append('\n');
        }
        return b.toString();
    }

    private static String values(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(v.length, 8); i++) {
            if (i > 0) b.append(", ");
            b.append(Float.isNaN(v[i]) ? "–" : DataView.number(v[i]));
        }
        if (v.length > 8) b.append(", …");
        return b.toString();
    }

    private void clear(String message) {
        rows.setText("");
        title.setText("");
        description.setText(message);
        note.setText("");
        grid.show(List.of(), "after");
        histogram.setVisible(false);
        histogram.setManaged(false);
    }
}
