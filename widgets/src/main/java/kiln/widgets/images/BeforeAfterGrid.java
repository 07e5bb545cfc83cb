package kiln.widgets.images;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;

import java.util.List;

/** Rows of "before" and one or more "after" images of the same samples, with column headings. */
public final class BeforeAfterGrid extends GridPane {

    /** One sample: its label, the image before, and the images after (empty when the sample was removed). */
    public record Row(String label, Image before, List<Image> after) { }

    private final double tile;

    public BeforeAfterGrid(double tile) {
        this.tile = tile;
        setHgap(4);
        setVgap(4);
        setPadding(new Insets(4));
        getStyleClass().add("before-after-grid");
    }

    public void show(List<Row> rows, String afterHeading) {
        getChildren().clear();
        if (rows.isEmpty()) return;
        int draws = rows.stream().mapToInt(r -> r.after().size()).max().orElse(1);
        add(heading("label"), 0, 0);
        add(heading("before"), 1, 0);
        for (int d = 0; d < Math.max(1, draws); d++) add(heading(draws > 1 ? afterHeading + " " + (d + 1) : afterHeading), 2 + d, 0);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            Label label = new Label(row.label());
            label.setMaxWidth(70);
            add(label, 0, r + 1);
            add(view(row.before()), 1, r + 1);
            if (row.after().isEmpty()) {
                Label gone = new Label("removed");
                gone.getStyleClass().add("danger");
                add(gone, 2, r + 1);
            }
            for (int d = 0; d < row.after().size(); d++) add(view(row.after().get(d)), 2 + d, r + 1);
        }
    }

    /** Images currently shown (for tests). */
    public int imageCount() {
        return (int) getChildren().stream().filter(n -> n instanceof ImageView).count();
    }

    private ImageView view(Image img) {
        ImageView v = new ImageView(img);
        v.setFitWidth(tile);
        v.setFitHeight(tile);
        v.setPreserveRatio(true);
        v.setSmooth(false);
        return v;
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-bold");
        l.setAlignment(Pos.CENTER);
        return l;
    }
}
