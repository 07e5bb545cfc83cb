package kiln.app.training;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The selected runs side by side, one card each in the run's chart colour: final accuracy as a bar (test, or
 * validation for a run without a test result), how many weights trained, the time, and where the weights
 * started. Shown when two or more runs are selected, e.g. from scratch, frozen backbone, full fine-tune and LoRA.
 */
final class RunComparison extends VBox {

    private static final double BAR_WIDTH = 100;

    private final Label title = new Label();
    private final Label noise = new Label();

    RunComparison() {
        super(8);
        setId("runComparison");
        getStyleClass().add("run-comparison");
        setPadding(new Insets(10, 10, 4, 10));
        title.getStyleClass().add(Styles.TEXT_BOLD);
        noise.setId("noiseNote");
        noise.setWrapText(true);
        noise.setMinHeight(Region.USE_PREF_SIZE);
        noise.getStyleClass().add("noise-note");
        show(List.of(), id -> Color.GRAY, List.of());
    }

    /**
     * Shows these runs (hidden for fewer than two); for two, whether they differ by more than the seed-to-seed noise
     * that the project's {@code groups} measured.
     */
    void show(List<RunRow> rows, Function<String, Color> colorOf, List<RunGroups.Group> groups) {
        List<RunRow> usable = rows.stream().filter(r -> r != null && r.record() != null).toList();
        boolean visible = usable.size() >= 2;
        setVisible(visible);
        setManaged(visible);
        getChildren().setAll(title);
        if (!visible) return;
        title.setText("Comparing " + usable.size() + " runs");
        double best = usable.stream().mapToDouble(RunRow::finalAccuracy).filter(Double::isFinite).max().orElse(Double.NaN);
        for (RunRow r : usable) getChildren().add(card(r, colorOf.apply(r.id()), r.finalAccuracy() == best));
        Label note = new Label("Bars: accuracy on the test split (validation where a run has no test result).");
        note.setWrapText(true);
        note.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        getChildren().add(note);
        noise.setText(usable.size() == 2 ? NoiseNote.describe(usable.get(0), usable.get(1), groups) : "");
        if (!noise.getText().isEmpty()) getChildren().add(noise);
    }

    private static VBox card(RunRow r, Color color, boolean best) {
        Region swatch = new Region();
        swatch.setMinSize(10, 10);
        swatch.setMaxSize(10, 10);
        swatch.setStyle("-fx-background-color: " + web(color) + "; -fx-background-radius: 2;");
        Label name = new Label(r.label() + (best ? "  ★ best" : ""));
        name.getStyleClass().add(Styles.TEXT_BOLD);
        name.setWrapText(true);
        HBox head = new HBox(6, swatch, name);
        head.setAlignment(Pos.CENTER_LEFT);

        double accuracy = r.finalAccuracy();
        Region track = new Region();
        track.setPrefSize(BAR_WIDTH, 10);
        track.setMaxSize(BAR_WIDTH, 10);
        track.getStyleClass().add("comparison-track");
        Region bar = new Region();
        bar.setMaxSize(Double.isFinite(accuracy) ? BAR_WIDTH * Math.max(0, Math.min(1, accuracy)) : 0, 10);
        bar.setStyle("-fx-background-color: " + web(color) + "; -fx-background-radius: 2;");
        StackPane barBox = new StackPane(track, bar);
        StackPane.setAlignment(bar, Pos.CENTER_LEFT);
        barBox.setMaxWidth(BAR_WIDTH);
        Label value = new Label(Double.isFinite(accuracy)
                ? String.format(Locale.ROOT, "%.2f %% %s", 100 * accuracy, r.finalAccuracySplit()) : "no accuracy yet");
        value.setId("comparison-accuracy-" + r.id());
        value.setMinWidth(Region.USE_PREF_SIZE);
        HBox accuracyRow = new HBox(6, barBox, value);
        accuracyRow.setAlignment(Pos.CENTER_LEFT);

        Long trainable = r.record().trainableParams();
        Long total = r.record().totalParams();
        String weights = trainable == null ? "trainable weights not recorded"
                : String.format(Locale.ROOT, "%,d of %,d weights train", trainable, total);
        Label facts = new Label(weights + " · " + duration(r.record().seconds()));
        facts.setId("comparison-facts-" + r.id());
        String start = r.weightsFrom();
        Label from = new Label("Start: " + (start.equals("new") ? "from scratch"
                : start.startsWith("new") ? "from scratch (no layer matched its source)" : "pre-trained, " + start));
        from.setId("comparison-from-" + r.id());
        for (Label l : List.of(facts, from)) {
            l.setWrapText(true);
            l.getStyleClass().add(Styles.TEXT_SMALL);
        }
        VBox card = new VBox(3, head, accuracyRow, facts, from);
        card.getStyleClass().add("comparison-card");
        return card;
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "time –";
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }

    private static String web(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }
}
