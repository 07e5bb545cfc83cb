package kiln.widgets.images;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * A virtualised gallery of labelled images: only the visible rows exist as nodes, so tens of thousands
 * of samples scroll smoothly. Thumbnails are made on a background thread and cached.
 */
public final class ImageGrid extends StackPane {

    /** What the grid shows. {@link #image} is called off the JavaFX thread. */
    public interface Source {
        int size();

        String label(int index);

        Image image(int index);
    }

    private static final Source EMPTY = new Source() {
        @Override public int size() { return 0; }
        @Override public String label(int index) { return ""; }
        @Override public Image image(int index) { return null; }
    };

    private final ListView<Integer> rows = new ListView<>();
    private final ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kiln-thumbnails");
        t.setDaemon(true);
        return t;
    });
    private final Map<Integer, Image> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Image> e) {
            return size() > 5000;
        }
    };
    private final Set<Integer> pending = ConcurrentHashMap.newKeySet();
    private Source source = EMPTY;
    private int generation;
    private int columns = 8;
    private final double tile;
    private String tileActionText;
    private java.util.function.IntConsumer tileAction;

    /** @param tile thumbnail side in pixels */
    public ImageGrid(double tile) {
        this.tile = tile;
        getStyleClass().add("image-grid");
        getStylesheets().add(kiln.widgets.util.StyledColors.stylesheet());
        rows.setCellFactory(l -> new RowCell());
        rows.setFixedCellSize(tile + 26);
        rows.setPlaceholder(new Label("No images"));
        getChildren().add(rows);
        widthProperty().addListener((o, a, w) -> {
            int c = Math.max(1, (int) ((w.doubleValue() - 24) / (tile + 8)));
            if (c != columns) {
                columns = c;
                refreshRows();
            }
        });
    }

    public void setSource(Source s) {
        source = s == null ? EMPTY : s;
        generation++;
        cache.clear();
        pending.clear();
        refreshRows();
    }

    public Source source() {
        return source;
    }

    /** Gives every tile a context-menu item (and a double click) that runs {@code action} with the tile's index. */
    public void setTileAction(String text, java.util.function.IntConsumer action) {
        tileActionText = text;
        tileAction = action;
        refreshRows();
    }

    /** Thumbnails currently showing an image (for tests and status lines). */
    public long shownImageCount() {
        return rows.lookupAll(".image-grid-tile").stream()
                .filter(n -> n instanceof VBox v && v.getChildren().get(0) instanceof ImageView iv && iv.getImage() != null).count();
    }

    /** Stops the thumbnail thread; the grid is not used again. */
    public void dispose() {
        renderer.shutdownNow();
    }

    private void refreshRows() {
        int n = (source.size() + columns - 1) / columns;
        rows.getItems().setAll(IntStream.range(0, n).boxed().toList());
    }

    private void request(int index, ImageView target) {
        Image cached = cache.get(index);
        if (cached != null) {
            target.setImage(cached);
            return;
        }
        target.setImage(null);
        if (!pending.add(index)) return;
        Source s = source;
        int gen = generation;
        renderer.execute(() -> {
            Image img;
            try {
                img = s.image(index);
            } finally {
                pending.remove(index);
            }
            Platform.runLater(() -> {
                if (gen != generation || img == null) return;
                cache.put(index, img);
                rows.lookupAll(".image-grid-tile").forEach(node -> {
                    if (node.getUserData() instanceof Integer i && i == index && node instanceof VBox v) {
                        ((ImageView) v.getChildren().get(0)).setImage(img);
                    }
                });
            });
        });
    }

    private final class RowCell extends ListCell<Integer> {
        private final HBox box = new HBox(8);

        RowCell() {
            box.setPadding(new Insets(2, 4, 2, 4));
            setPadding(Insets.EMPTY);
        }

        @Override
        protected void updateItem(Integer row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            box.getChildren().clear();
            for (int c = 0; c < columns; c++) {
                int index = row * columns + c;
                if (index >= source.size()) break;
                ImageView view = new ImageView();
                view.setFitWidth(tile);
                view.setFitHeight(tile);
                view.setPreserveRatio(true);
                view.setSmooth(false);
                Label label = new Label(source.label(index));
                label.setMaxWidth(tile);
                VBox t = new VBox(2, view, label);
                t.setAlignment(Pos.TOP_CENTER);
                t.getStyleClass().add("image-grid-tile");
                t.setUserData(index);
                t.setPrefWidth(tile);
                if (tileAction != null) {
                    javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(tileActionText);
                    item.setOnAction(e -> tileAction.accept(index));
                    javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(item);
                    t.setOnContextMenuRequested(e -> menu.show(t, e.getScreenX(), e.getScreenY()));
                    t.setOnMouseClicked(e -> {
                        if (e.getClickCount() == 2) tileAction.accept(index);
                    });
                }
                box.getChildren().add(t);
                request(index, view);
            }
            setGraphic(box);
        }
    }
}
