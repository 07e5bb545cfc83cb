package kiln.app;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import kiln.engine.data.Cifar10Download;
import kiln.engine.data.DataFormatException;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.SampleCatalog;
import kiln.engine.util.Progress;
import kiln.widgets.tasks.TaskExecutor;
import kiln.widgets.tasks.TaskHandle;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The "Open Sample…" gallery: one card per sample from {@link SampleCatalog} with its picture, what it
 * teaches, the accuracy and training time to expect, and whether its data is here. A sample whose data is
 * missing (CIFAR-10) offers a download with progress and cancel, or a copy the student already has.
 */
public final class SampleGallery {

    /** What the gallery asks the main window to do: open a copy of the sample, optionally on other CIFAR-10 data. */
    public interface Opener {
        void open(SampleCatalog.Sample sample, Optional<Path> cifarFolder);
    }

    private final Stage stage = new Stage();
    private final TaskExecutor executor;
    private final Cifar10Download downloader;
    private final Opener opener;
    private final VBox cards = new VBox(10);
    private final List<TaskHandle> downloads = new ArrayList<>();

    public SampleGallery(Stage owner, TaskExecutor executor, List<SampleCatalog.Sample> samples, Path copiesGoTo,
                         Cifar10Download downloader, Opener opener) {
        this.executor = executor;
        this.downloader = downloader;
        this.opener = opener;
        stage.setTitle("Open Sample");
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        Label heading = new Label("Sample projects");
        heading.getStyleClass().add("title-3");
        Label where = new Label("Each sample opens as your own copy in " + shortPath(copiesGoTo) + ", ready to train. "
                + "Accuracies were measured with the command line; times are for a 2-core laptop-class CPU.");
        where.setWrapText(true);
        where.setMinHeight(Region.USE_PREF_SIZE);
        where.getStyleClass().add("text-muted");
        for (SampleCatalog.Sample s : samples) cards.getChildren().add(card(s));
        cards.setPadding(new Insets(2));
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setOnAction(e -> close());
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, heading, where, scroll, buttons);
        root.setPadding(new Insets(14));
        root.setId("sampleGallery");
        Scene scene = new Scene(root, 820, 760);
        scene.getStylesheets().add(SampleGallery.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnHidden(e -> downloads.forEach(TaskHandle::cancel));
    }

    /** ~/Kiln rather than /home/someone/Kiln: shorter, and what the README says. */
    static String shortPath(Path p) {
        Path userHome = Path.of(System.getProperty("user.home")).toAbsolutePath();
        Path abs = p.toAbsolutePath();
        return abs.startsWith(userHome) && !abs.equals(userHome)
                ? "~" + java.io.File.separator + userHome.relativize(abs) : abs.toString();
    }

    public void show() {
        stage.show();
    }

    public Stage stage() {
        return stage;
    }

    private void close() {
        stage.close();
    }

    private void open(SampleCatalog.Sample s, Optional<Path> cifarFolder) {
        close();
        opener.open(s, cifarFolder);
    }

    private Node card(SampleCatalog.Sample s) {
        HBox card = new HBox(14);
        card.setId("sample-" + s.id());
        card.getStyleClass().add("sample-card");
        card.setPadding(new Insets(10));
        VBox actions = new VBox(6);
        actions.setMinWidth(Region.USE_PREF_SIZE);
        card.getChildren().setAll(picture(s), facts(s, actions), actions);
        card.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) open(s, Optional.empty());
        });
        return card;
    }

    private static final double PICTURE_W = 176;
    private static final double PICTURE_H = 88;

    private static Node picture(SampleCatalog.Sample s) {
        StackPane frame = new StackPane();
        frame.setMinSize(PICTURE_W, PICTURE_H);
        frame.setMaxSize(PICTURE_W, PICTURE_H);
        frame.getStyleClass().add("sample-picture");
        if (s.picture().isPresent()) {
            ImageView view = new ImageView(new Image(s.picture().get().toUri().toString(), PICTURE_W, PICTURE_H, true, true, true));
            view.setId("picture-" + s.id());
            frame.getChildren().add(view);
        } else {
            // no picture yet (the data is not here to draw one from): the data set's name stands in
            Label none = new Label(s.dataName().split(" \\(")[0] + "\nnot downloaded");
            none.setWrapText(true);
            frame.getChildren().add(none);
        }
        StackPane.setAlignment(frame, Pos.TOP_CENTER);
        return frame;
    }

    private VBox facts(SampleCatalog.Sample s, VBox actions) {
        Label title = new Label(s.title());
        title.getStyleClass().add("sample-title");
        Label description = new Label(s.description());
        description.setWrapText(true);
        String accuracy = s.expectedTestAccuracy().isPresent()
                ? String.format(Locale.ROOT, "Expected test accuracy %.1f%% after %d epoch%s", 100 * s.expectedTestAccuracy().getAsDouble(),
                s.epochs(), s.epochs() == 1 ? "" : "s")
                : "Expected test accuracy not measured yet";
        Label facts = new Label(accuracy + "\nTraining: " + s.trainingTime());
        facts.setWrapText(true);
        facts.setId("facts-" + s.id());
        facts.getStyleClass().add(Styles.TEXT_MUTED);
        Label data = new Label();
        data.setWrapText(true);
        data.setId("data-" + s.id());
        VBox box = new VBox(3, title, description, facts, data);
        for (var n : box.getChildren()) ((Region) n).setMinHeight(Region.USE_PREF_SIZE);
        HBox.setHgrow(box, Priority.ALWAYS);
        box.setMaxWidth(Double.MAX_VALUE);
        Tip.install(facts, s.accuracyNote());
        fillData(s, box, data, actions);
        return box;
    }

    /** The data line and the buttons, for data that is here or missing. */
    private void fillData(SampleCatalog.Sample s, VBox box, Label data, VBox actions) {
        if (box.getChildren().size() > 4) box.getChildren().remove(4, box.getChildren().size());
        Button open = new Button("Open");
        open.setId("open-" + s.id());
        open.setMaxWidth(Double.MAX_VALUE);
        actions.getChildren().clear();
        if (s.data().present()) {
            data.setText("Data: " + s.dataName() + (s.dataBundled() ? ", included with Kiln" : ", on this computer")
                    + " · licence " + s.dataLicence());
            Styles.addStyleClass(data, Styles.SUCCESS, Styles.WARNING);
            open.getStyleClass().add("accent");
            open.setOnAction(e -> open(s, Optional.empty()));
            actions.getChildren().add(open);
            return;
        }
        data.setText("Data: " + s.dataName() + " is not on this computer yet"
                + (s.data().downloadable() ? ": download it, or choose a copy you already have." : ". " + s.data().problem()));
        Styles.addStyleClass(data, Styles.WARNING, Styles.SUCCESS);
        open.setText("Open Anyway");
        open.setOnAction(e -> open(s, Optional.empty()));
        if (!s.data().downloadable()) {
            actions.getChildren().add(open);
            return;
        }
        Button download = new Button("Download");
        download.setId("download-" + s.id());
        download.getStyleClass().add("accent");
        download.setMaxWidth(Double.MAX_VALUE);
        Button locate = new Button("Choose a copy…");
        locate.setId("locate-" + s.id());
        locate.setMaxWidth(Double.MAX_VALUE);
        ProgressBar bar = new ProgressBar(0);
        bar.setMaxWidth(Double.MAX_VALUE);
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-" + s.id());
        Label message = new Label();
        message.setId("message-" + s.id());
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        HBox progress = new HBox(8, bar, cancel);
        progress.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(bar, Priority.ALWAYS);
        progress.setVisible(false);
        progress.managedProperty().bind(progress.visibleProperty());
        message.managedProperty().bind(message.textProperty().isNotEmpty());
        download.setOnAction(e -> download(s, box, data, actions, progress, bar, cancel, message, download));
        locate.setOnAction(e -> locate(s, message));
        actions.getChildren().addAll(download, locate, open);
        box.getChildren().addAll(progress, message);
    }

    private void download(SampleCatalog.Sample s, VBox box, Label data, VBox actions, HBox progress, ProgressBar bar,
                          Button cancel, Label message, Button download) {
        Path target = s.data().folder();
        download.setDisable(true);
        progress.setVisible(true);
        message.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
        message.setText("Downloading CIFAR-10 to " + target + " …");
        TaskHandle handle = executor.submit("Downloading CIFAR-10", p -> downloader.download(target, p), folder -> {
            try {
                SampleCatalog.Sample now = SampleCatalog.read(s.folder());
                fillData(now, box, data, actions);
            } catch (ProjectFormatException e) {
                message.setText(e.getMessage());
            }
            if (!box.getChildren().contains(message)) box.getChildren().add(message);
            Styles.addStyleClass(message, Styles.SUCCESS, Styles.DANGER);
            message.setText("CIFAR-10 is ready in " + folder + ".");
        }, error -> {
            Styles.addStyleClass(message, Styles.DANGER, Styles.SUCCESS);
            message.setText(error instanceof Progress.CancelledException
                    ? "Download cancelled; nothing was kept."
                    : "Could not download CIFAR-10: " + error.getMessage());
        });
        downloads.add(handle);
        cancel.setOnAction(e -> {
            handle.cancel();
            message.textProperty().unbind();
            message.setText("Download cancelled; nothing was kept.");
        });
        Runnable finished = () -> {
            bar.progressProperty().unbind();
            message.textProperty().unbind();
            progress.setVisible(false);
            download.setDisable(false);
            downloads.remove(handle);
        };
        if (handle.runningProperty().get()) {
            bar.progressProperty().bind(handle.progressProperty());
            // the download's own words: how many MB, checking, unpacking
            message.textProperty().bind(javafx.beans.binding.Bindings.when(handle.messageProperty().isEmpty())
                    .then(message.getText()).otherwise(handle.messageProperty()));
        }
        handle.whenEnded(finished);
    }

    private void locate(SampleCatalog.Sample s, Label message) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose your copy of CIFAR-10 (the folder " + Cifar10Download.FOLDER_NAME + ")");
        File dir = chooser.showDialog(stage);
        if (dir == null) return;
        located(s, dir.toPath(), message);
    }

    /** A folder the student chose: opened with it when it holds CIFAR-10, else the message says what is wrong. */
    void located(SampleCatalog.Sample s, Path chosen, Label message) {
        try {
            open(s, Optional.of(Cifar10Download.locate(chosen)));
        } catch (DataFormatException e) {
            Styles.addStyleClass(message, Styles.DANGER, Styles.SUCCESS);
            message.setText(e.getMessage());
        }
    }

    /** Tooltips with a short delay; the accuracy note says how the number was measured. */
    private static final class Tip {
        static void install(Node n, String text) {
            if (text == null || text.isBlank()) return;
            javafx.scene.control.Tooltip t = new javafx.scene.control.Tooltip(text);
            t.setWrapText(true);
            t.setMaxWidth(420);
            javafx.scene.control.Tooltip.install(n, t);
        }
    }
}
