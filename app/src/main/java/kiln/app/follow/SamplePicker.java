package kiln.app.follow;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import kiln.engine.data.Dataset;
import kiln.engine.eval.TrainedModel;
import kiln.engine.shape.TensorShape;
import kiln.widgets.eval.Images;

import java.util.Locale;
import java.util.function.IntConsumer;

/** A gallery of test samples around the current one, in a popup: clicking one follows it. */
final class SamplePicker {

    private static final int SHOWN = 60;

    private final IntConsumer onPick;
    private final PickerPopup popup = new PickerPopup();

    SamplePicker(IntConsumer onPick) {
        this.onPick = onPick;
    }

    void show(javafx.scene.Node anchor, TrainedModel model, int current) {
        Dataset test = model.test();
        TensorShape shape = model.inputShape();
        int from = Math.max(0, Math.min(current, test.size() - SHOWN));
        FlowPane tiles = new FlowPane(4, 4);
        tiles.setPrefWrapLength(560);
        tiles.setPadding(new Insets(6));
        int per = test.sampleLength();
        for (int i = from; i < Math.min(test.size(), from + SHOWN); i++) {
            String label = model.classNames().get(test.labels()[i]);
            Button b = new Button(String.format(Locale.ROOT, "#%d %s", i + 1, label));
            b.getStyleClass().add("follow-pick");
            b.setMnemonicParsing(false);
            if (shape.kind() == TensorShape.Kind.IMAGE) {
                ImageView v = new ImageView(Images.sample(test.features(), i * per, shape.height(), shape.width(), shape.channels()));
                v.setFitWidth(44);
                v.setPreserveRatio(true);
                v.setSmooth(false);
                b.setGraphic(v);
                b.setContentDisplay(ContentDisplay.TOP);
            }
            int index = i;
            b.setOnAction(e -> {
                popup.hide();
                onPick.accept(index);
            });
            tiles.getChildren().add(b);
        }
        ScrollPane scroll = new ScrollPane(tiles);
        scroll.setFitToWidth(true);
        scroll.setPrefSize(600, 380);
        Label title = new Label("Test samples " + (from + 1) + "–" + Math.min(test.size(), from + SHOWN)
                + " of " + test.size() + " (after the pipeline); click one to follow it");
        popup.show(anchor, title, scroll);
    }
}
