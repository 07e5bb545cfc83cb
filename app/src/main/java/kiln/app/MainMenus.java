package kiln.app;

import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import kiln.app.document.ProjectDocument;
import kiln.engine.layout.AutoLayout;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The window's menus and toolbar, each entry wired to an action of the {@link MainWindow}; what needs an open
 * project is disabled without one, and Undo and Redo name the step they take back.
 */
final class MainMenus {

    private final MainWindow window;
    private final Menu recentMenu = new Menu("Open Recent");
    private final MenuItem undoItem = new MenuItem("Undo");
    private final MenuItem redoItem = new MenuItem("Redo");
    private final Button undoButton = new Button();
    private final Button redoButton = new Button();
    private final CheckMenuItem darkTheme = new CheckMenuItem("Dark Theme");
    private final CheckMenuItem showSummary = new CheckMenuItem("Show Summary");
    private final List<MenuItem> needsProject = new ArrayList<>();
    private final List<javafx.scene.Node> needsProjectButtons = new ArrayList<>();
    private final MenuBar menuBar;
    private final ToolBar toolBar;
    private Button trainButton;

    MainMenus(MainWindow window) {
        this.window = window;
        menuBar = menuBar();
        toolBar = toolBar();
    }

    MenuBar bar() {
        return menuBar;
    }

    ToolBar tools() {
        return toolBar;
    }

    MenuItem undoItem() {
        return undoItem;
    }

    CheckMenuItem darkThemeItem() {
        return darkTheme;
    }

    CheckMenuItem showSummaryItem() {
        return showSummary;
    }

    Button trainButton() {
        return trainButton;
    }

    private MenuBar menuBar() {
        MenuItem newItem = item("New Project", "Shortcut+N", window::newProject);
        MenuItem open = item("Open…", "Shortcut+O", window::chooseAndOpen);
        MenuItem sample = item("Open Sample…", null, window::chooseSample);
        MenuItem save = item("Save", "Shortcut+S", window::save);
        MenuItem saveAs = item("Save As…", "Shortcut+Shift+S", window::saveAs);
        MenuItem quit = item("Quit", "Shortcut+Q", () -> {
            if (window.confirmCloseProject()) window.quit();
        });
        MenuItem export = item("Export…", "Shortcut+E", window::export);
        MenuItem importOnnx = item("Import ONNX…", null, window::chooseAndImportOnnx);
        needsProject.addAll(List.of(save, saveAs, export));
        Menu file = new Menu("File", null, newItem, open, sample, recentMenu, new SeparatorMenuItem(), save, saveAs,
                new SeparatorMenuItem(), importOnnx, export, new SeparatorMenuItem(), quit);

        // they name layers ("Undo Delete conv2d_2"): an underscore is text, not a mnemonic
        undoItem.setMnemonicParsing(false);
        redoItem.setMnemonicParsing(false);
        undoItem.setAccelerator(KeyCombination.keyCombination("Shortcut+Z"));
        undoItem.setOnAction(e -> window.undo());
        redoItem.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+Z"));
        redoItem.setOnAction(e -> window.redo());
        MenuItem copy = item("Copy Layers", null, () -> window.modelView().ifPresent(v -> v.editor().canvas().copySelection()));
        MenuItem paste = item("Paste Layers", null, () -> window.modelView().ifPresent(v -> v.editor().canvas().paste()));
        MenuItem duplicate = item("Duplicate Layers", null, () -> window.modelView().ifPresent(v -> v.editor().canvas().duplicateSelection()));
        MenuItem delete = item("Delete", null, () -> window.modelView().ifPresent(v -> v.editor().canvas().deleteSelection()));
        MenuItem selectAll = item("Select All Layers", null, () -> window.modelView().ifPresent(v -> v.editor().canvas().selectAll()));
        needsProject.addAll(List.of(copy, paste, duplicate, delete, selectAll));
        Menu edit = new Menu("Edit", null, undoItem, redoItem, new SeparatorMenuItem(), copy, paste, duplicate, delete,
                selectAll);

        MenuItem zoomIn = item("Zoom In", "Shortcut+EQUALS", () -> window.modelView().ifPresent(v -> v.editor().canvas().zoomIn()));
        MenuItem zoomOut = item("Zoom Out", "Shortcut+MINUS", () -> window.modelView().ifPresent(v -> v.editor().canvas().zoomOut()));
        MenuItem fit = item("Zoom to Fit", "Shortcut+0", window::zoomToFit);
        MenuItem layoutLr = item("Auto-layout Left to Right", "Shortcut+L", () -> window.autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT));
        MenuItem layoutTb = item("Auto-layout Top to Bottom", "Shortcut+Shift+L", () -> window.autoLayout(AutoLayout.Orientation.TOP_TO_BOTTOM));
        showSummary.setSelected(true);
        showSummary.selectedProperty().addListener((o, a, b) -> window.modelView().ifPresent(v -> v.editor().summaryVisibleProperty().set(b)));
        needsProject.addAll(List.of(zoomIn, zoomOut, fit, layoutLr, layoutTb));
        Menu view = new Menu("View", null, zoomIn, zoomOut, fit, new SeparatorMenuItem(), layoutLr, layoutTb,
                new SeparatorMenuItem(), showSummary, darkTheme);

        MenuItem train = item("Train", "Shortcut+T", window::requestTrain);
        MenuItem startFrom = item("Start from…", null, window::startFrom);
        needsProject.addAll(List.of(train, startFrom));
        Menu model = new Menu("Model", null, train, startFrom);
        return new MenuBar(file, edit, view, model);
    }

    private ToolBar toolBar() {
        Button newB = tool("New", MaterialDesignF.FILE_PLUS_OUTLINE, "New project (Ctrl+N)", window::newProject);
        Button openB = tool("Open", MaterialDesignF.FOLDER_OPEN_OUTLINE, "Open a project folder (Ctrl+O)", window::chooseAndOpen);
        Button sampleB = tool("Samples", MaterialDesignF.FLASK_OUTLINE, "Open a sample project", window::chooseSample);
        Button saveB = tool("Save", MaterialDesignC.CONTENT_SAVE_OUTLINE, "Save (Ctrl+S)", window::save);
        undoButton.setGraphic(new FontIcon(MaterialDesignU.UNDO));
        undoButton.setOnAction(e -> window.undo());
        undoButton.setId("undo-button");
        redoButton.setGraphic(new FontIcon(MaterialDesignR.REDO));
        redoButton.setOnAction(e -> window.redo());
        redoButton.setId("redo-button");
        MenuButton layout = new MenuButton("Auto-layout", new FontIcon(MaterialDesignS.SITEMAP));
        layout.setId("layout-button");
        MenuItem lr = new MenuItem("Left to right");
        lr.setOnAction(e -> window.autoLayout(AutoLayout.Orientation.LEFT_TO_RIGHT));
        MenuItem tb = new MenuItem("Top to bottom");
        tb.setOnAction(e -> window.autoLayout(AutoLayout.Orientation.TOP_TO_BOTTOM));
        layout.getItems().addAll(lr, tb);
        Button fit = tool("Fit", MaterialDesignF.FIT_TO_PAGE_OUTLINE, "Zoom to fit the whole network (Ctrl+0)", window::zoomToFit);
        Button train = tool("Train", MaterialDesignP.PLAY, "Train the network (Ctrl+T)", window::requestTrain);
        train.getGraphic().getStyleClass().add("accent");
        train.setId("train-button");
        trainButton = train;
        needsProjectButtons.addAll(List.of(saveB, undoButton, redoButton, layout, fit, train));
        return new ToolBar(newB, openB, sampleB, saveB, new Separator(javafx.geometry.Orientation.VERTICAL), undoButton, redoButton, new Separator(javafx.geometry.Orientation.VERTICAL),
                layout, fit, new Separator(javafx.geometry.Orientation.VERTICAL), train);
    }

    private static Button tool(String text, org.kordamp.ikonli.Ikon icon, String tip, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setId(text.toLowerCase(Locale.ROOT) + "-button");
        return b;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) m.setAccelerator(KeyCombination.keyCombination(accelerator));
        m.setOnAction(e -> action.run());
        return m;
    }

    /** Enables what needs a project when one is open, and shows its undo and redo steps. */
    void enableProjectActions(ProjectDocument document) {
        boolean none = document == null;
        needsProject.forEach(m -> m.setDisable(none));
        needsProjectButtons.forEach(b -> b.setDisable(none));
        showUndo(document);
    }

    /** Undo and Redo name the step they take back, and are off while there is none or the project trains. */
    void showUndo(ProjectDocument document) {
        var stack = document == null ? null : document.commands();
        Optional<String> u = stack == null ? Optional.empty() : stack.undoDescription();
        Optional<String> r = stack == null ? Optional.empty() : stack.redoDescription();
        boolean locked = document != null && document.lockedProperty().get();
        undoItem.setText(u.map(d -> "Undo " + d).orElse("Undo"));
        redoItem.setText(r.map(d -> "Redo " + d).orElse("Redo"));
        undoItem.setDisable(u.isEmpty() || locked);
        redoItem.setDisable(r.isEmpty() || locked);
        undoButton.setDisable(u.isEmpty() || locked);
        redoButton.setDisable(r.isEmpty() || locked);
        undoButton.setTooltip(new Tooltip(undoItem.getText() + " (Ctrl+Z)"));
        redoButton.setTooltip(new Tooltip(redoItem.getText() + " (Ctrl+Shift+Z)"));
    }

    /** File → Open Recent lists these folders; choosing one opens it. */
    void showRecent(List<Path> folders, Consumer<Path> open) {
        recentMenu.getItems().clear();
        for (Path p : folders) {
            MenuItem m = new MenuItem(p.getFileName() + "  —  " + p);
            m.setMnemonicParsing(false); // folder names may hold underscores
            m.setOnAction(e -> open.accept(p));
            recentMenu.getItems().add(m);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }
}
