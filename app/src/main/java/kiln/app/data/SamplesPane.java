package kiln.app.data;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import kiln.app.document.ProjectDocument;
import kiln.app.ui.ViewParts;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.shape.TensorShape;
import kiln.widgets.images.ImageGrid;
import kiln.widgets.images.SampleImages;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/** The Data tab's samples of one split and class: images in a gallery, table data as rows. */
final class SamplesPane extends VBox {

    private final ComboBox<String> split = new ComboBox<>();
    private final ComboBox<String> classFilter = new ComboBox<>();
    private final ImageGrid gallery = new ImageGrid(48);
    private final Label note = new Label();
    /** Table data is shown as rows (virtualised like the gallery). */
    private final TableView<Integer> rows = new TableView<>();
    private DataSplits loaded;
    private List<String> featureColumns = List.of();
    private boolean refreshing;
    private final java.util.function.Consumer<ProjectDocument.FollowRequest> onFollow;

    /** @param onFollow asked to follow a gallery sample through the network (the model editor's Follow a sample) */
    SamplesPane(java.util.function.Consumer<ProjectDocument.FollowRequest> onFollow) {
        super(6);
        this.onFollow = onFollow;
        split.getItems().addAll("Training split", "Validation split", "Test split");
        split.getSelectionModel().select(0);
        split.setOnAction(e -> update());
        classFilter.setOnAction(e -> update());
        Label heading = ViewParts.sectionTitle("Samples");
        for (Region r : List.of(heading, split, classFilter)) r.setMinWidth(Region.USE_PREF_SIZE);
        // the count on a line of its own: beside the choices it was cut short in a narrow window
        note.getStyleClass().add(Styles.TEXT_MUTED);
        note.setId("gallery-note");
        javafx.scene.control.Tooltip.install(gallery, new javafx.scene.control.Tooltip(
                "Double-click a sample (or right-click it) to follow it through the network on the Model tab"));
        HBox bar = new HBox(8, heading, split, classFilter);
        bar.setAlignment(Pos.CENTER_LEFT);
        rows.setId("rows-table");
        rows.setVisible(false);
        StackPane samples = new StackPane(gallery, rows);
        getChildren().addAll(bar, note, samples);
        VBox.setVgrow(samples, Priority.ALWAYS);
        setPadding(new Insets(8));
    }

    ImageGrid gallery() {
        return gallery;
    }

    void dispose() {
        gallery.dispose();
    }

    /** Shows freshly loaded data; {@code featureColumns} names a CSV's columns (empty for images). */
    void show(DataSplits loaded, List<String> featureColumns) {
        this.loaded = loaded;
        this.featureColumns = featureColumns;
        refreshing = true;
        try {
            classFilter.getItems().setAll("All classes");
            classFilter.getItems().addAll(loaded.train().classNames());
            classFilter.getSelectionModel().select(0);
        } finally {
            refreshing = false;
        }
        update();
    }

    private void update() {
        if (refreshing || loaded == null) return;
        Dataset d = switch (split.getSelectionModel().getSelectedIndex()) {
            case 1 -> loaded.validation();
            case 2 -> loaded.test();
            default -> loaded.train();
        };
        int cls = classFilter.getSelectionModel().getSelectedIndex() - 1;
        int[] idx = IntStream.range(0, d.size()).filter(i -> cls < 0 || d.labels()[i] == cls).toArray();
        boolean table = d.sampleShape().kind() != TensorShape.Kind.IMAGE;
        gallery.setVisible(!table);
        rows.setVisible(table);
        if (table) {
            gallery.setSource(null);
            showRows(d, idx);
            return;
        }
        note.setText(String.format(Locale.ROOT, "%,d images", idx.length));
        int per = d.sampleLength();
        String splitName = split.getSelectionModel().getSelectedItem().replace(" split", "").toLowerCase(Locale.ROOT);
        gallery.setTileAction("Follow this sample through the network", i -> onFollow.accept(
                new ProjectDocument.FollowRequest(Arrays.copyOfRange(d.features(), idx[i] * per, (idx[i] + 1) * per),
                        String.format(Locale.ROOT, "%s #%,d: %s", splitName, idx[i] + 1, d.labelText(idx[i])))));
        gallery.setSource(new ImageGrid.Source() {
            @Override public int size() { return idx.length; }
            @Override public String label(int i) { return d.labelText(idx[i]); }
            @Override public Image image(int i) {
                return SampleImages.toImage(d.features(), idx[i] * per, d.sampleShape(), 0, 255);
            }
        });
    }

    private void showRows(Dataset d, int[] idx) {
        rows.getColumns().clear();
        TableColumn<Integer, String> label = DataView.column("label", i -> d.labelText(i), 90);
        rows.getColumns().add(label);
        int per = d.sampleLength();
        for (int c = 0; c < per; c++) {
            int col = c;
            String name = c < featureColumns.size() ? featureColumns.get(c) : "x" + (c + 1);
            rows.getColumns().add(DataView.column(name, i -> {
                float v = d.features()[i * per + col];
                return Float.isNaN(v) ? "–" : DataView.number(v);
            }, 90));
        }
        rows.getItems().setAll(Arrays.stream(idx).boxed().toList());
        note.setText(String.format(Locale.ROOT, "%,d rows (– is a missing value)", idx.length));
    }
}
