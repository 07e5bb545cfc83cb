package kiln.app.eval;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.project.ProjectIO;
import kiln.widgets.tasks.SameThreadTaskExecutor;

import java.nio.file.Path;

/** The Evaluation tab of the project in a folder, alone on the test's stage, styled as in the app. */
final class EvaluationViewStage {

    private EvaluationViewStage() { }

    static EvaluationView show(Stage stage, Path folder) throws Exception {
        ProjectDocument document = new ProjectDocument(ProjectIO.load(folder), folder);
        EvaluationView view = new EvaluationView(new ViewContext(document, new SameThreadTaskExecutor(), stage));
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene((Parent) view.node(), 1280, 660);
        scene.getStylesheets().add(kiln.app.MainWindow.class.getResource("kiln.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
        return view;
    }
}
