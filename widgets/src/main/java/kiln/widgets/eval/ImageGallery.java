package kiln.widgets.eval;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import kiln.widgets.util.StyledColors;

import java.util.List;

/** A scrolling grid of small pictures (or text, for table rows) with a caption under each. */
public final class ImageGallery extends ScrollPane {

    /** One entry: a picture (or null for a text-only tile), a short caption and a longer tooltip. */
    public record Tile(Image image, String caption, String details) { }

    private final FlowPane flow = new FlowPane(8, 8);
    private final Label empty = new Label();

    public ImageGallery() {
        getStyleClass().add("image-gallery");
        getStylesheets().add(StyledColors.stylesheet());
        flow.setPadding(new Insets(8));
        setContent(flow);
        setFitToWidth(true);
        empty.getStyleClass().add("text-muted");
    }

    /** @param whenEmpty what to say when there is nothing to show */
    public void setTiles(List<Tile> tiles, String whenEmpty) {
        flow.getChildren().clear();
        if (tiles.isEmpty()) {
            empty.setText(whenEmpty);
            flow.getChildren().add(empty);
            return;
        }
        for (Tile t : tiles) flow.getChildren().add(tile(t));
        setVvalue(0);
    }

    public int tileCount() {
        return (int) flow.getChildren().stream().filter(n -> n.getStyleClass().contains("gallery-tile")).count();
    }

    public List<String> captions() {
        return flow.getChildren().stream().filter(n -> n.getStyleClass().contains("gallery-tile"))
                .map(n -> ((Label) ((VBox) n).getChildren().get(((VBox) n).getChildren().size() - 1)).getText()).toList();
    }

    /** The pictures of the tiles, in order (null for a text-only tile). */
    public List<Image> images() {
        return flow.getChildren().stream().filter(n -> n.getStyleClass().contains("gallery-tile"))
                .map(n -> ((VBox) n).getChildren().get(0) instanceof ImageView v ? v.getImage() : null).toList();
    }

    private static VBox tile(Tile t) {
        VBox box = new VBox(3);
        box.getStyleClass().add("gallery-tile");
        box.setAlignment(Pos.TOP_CENTER);
        box.setPadding(new Insets(4));
        if (t.image() != null) {
            ImageView view = new ImageView(t.image());
            view.setSmooth(false);
            view.setPreserveRatio(true);
            view.setFitWidth(72);
            box.getChildren().add(view);
        }
        Label caption = new Label(t.caption());
        caption.setWrapText(true);
        caption.setMaxWidth(t.image() != null ? 84 : 160);
        box.getChildren().add(caption);
        Tooltip.install(box, new Tooltip(t.details()));
        return box;
    }
}
