package kiln.app;

import javafx.application.Application;
import javafx.stage.Stage;
import kiln.widgets.tasks.FxTaskExecutor;

/** The JavaFX application: one {@link MainWindow} with a small pool of background threads. */
public final class KilnApp extends Application {

    @Override
    public void start(Stage stage) {
        MainWindow window = new MainWindow(stage, new FxTaskExecutor(4), UserProjects.fromSystem());
        window.showAndOpenStartProject();
    }
}
