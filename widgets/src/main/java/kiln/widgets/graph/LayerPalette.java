package kiln.widgets.graph;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import kiln.engine.catalog.Category;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.LayerType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layer types of the catalog grouped by category, with a search field. Drag an entry onto the canvas
 * to add it where it is dropped, or double-click it to append it after the selected layer.
 */
public final class LayerPalette extends VBox {

    /** What the palette asks of its host while an entry is dragged or chosen. */
    public interface Handler {
        /** The entry is being dragged over the scene point (show a preview when it is over the canvas). */
        void dragging(LayerType type, double sceneX, double sceneY);

        /** The entry was released at the scene point. */
        void dropped(LayerType type, double sceneX, double sceneY);

        /** The entry was double-clicked. */
        void chosen(LayerType type);
    }

    private final TextField search = new TextField();
    private final VBox list = new VBox();
    private final List<Label> entries = new ArrayList<>();
    private final Handler handler;

    public LayerPalette(Handler handler) {
        this.handler = handler;
        getStyleClass().add("layer-palette");
        getStylesheets().add(LayerPalette.class.getResource("graph.css").toExternalForm());
        search.setPromptText("Search layers");
        search.getStyleClass().add("palette-search");
        search.textProperty().addListener((o, a, b) -> filter(b));
        list.getStyleClass().add("palette-list");
        ScrollPane scroll = new ScrollPane(list);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        setSpacing(8);
        setPadding(new Insets(8));
        Label hint = new Label("Drag onto the canvas, or double-click to add after the selected layer.");
        hint.setWrapText(true);
        hint.getStyleClass().add("palette-hint");
        hint.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(search, scroll, hint);
        build();
    }

    private void build() {
        for (Category c : Category.values()) {
            List<LayerType> types = LayerCatalog.all().stream().filter(t -> t.category() == c).toList();
            if (types.isEmpty()) continue;
            Label header = new Label(c.displayName().toUpperCase(Locale.ROOT));
            header.getStyleClass().add("palette-category");
            header.setUserData(c);
            list.getChildren().add(header);
            for (LayerType t : types) list.getChildren().add(entry(t));
        }
    }

    private Label entry(LayerType t) {
        Region swatch = new Region();
        swatch.getStyleClass().addAll("palette-swatch", "category-" + t.category().name().toLowerCase(Locale.ROOT));
        swatch.setMinSize(10, 10);
        swatch.setMaxSize(10, 10);
        Label l = new Label(t.displayName(), swatch);
        l.setId("palette-" + t.id());
        l.getStyleClass().add("palette-entry");
        l.setUserData(t);
        l.setMaxWidth(Double.MAX_VALUE);
        Tooltip tip = new Tooltip(t.explanation());
        tip.setWrapText(true);
        tip.setMaxWidth(320);
        tip.setShowDelay(Duration.millis(500));
        l.setTooltip(tip);
        l.setOnMouseDragged(e -> {
            if (e.getButton() == MouseButton.PRIMARY) handler.dragging(t, e.getSceneX(), e.getSceneY());
        });
        l.setOnMouseReleased(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) return;
            if (e.getButton() == MouseButton.PRIMARY) handler.dropped(t, e.getSceneX(), e.getSceneY());
        });
        l.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) handler.chosen(t);
        });
        entries.add(l);
        return l;
    }

    /** Shows the entries whose name, id or explanation contains the text; hides categories left empty. */
    private void filter(String text) {
        String q = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Label l : entries) {
            LayerType t = (LayerType) l.getUserData();
            boolean show = q.isEmpty() || t.displayName().toLowerCase(Locale.ROOT).contains(q)
                    || t.id().contains(q) || t.category().displayName().toLowerCase(Locale.ROOT).contains(q)
                    || t.explanation().toLowerCase(Locale.ROOT).contains(q);
            l.setVisible(show);
            l.setManaged(show);
        }
        for (javafx.scene.Node n : list.getChildren()) {
            if (n.getUserData() instanceof Category c) {
                boolean any = entries.stream().anyMatch(l -> l.isVisible() && ((LayerType) l.getUserData()).category() == c);
                n.setVisible(any);
                n.setManaged(any);
            }
        }
    }
}
