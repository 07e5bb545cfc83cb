package kiln.app.eval;

import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import kiln.engine.eval.RegressionEvaluation;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCopies;
import kiln.widgets.TextFits;
import kiln.widgets.charts.CurveChart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Evaluation tab of the diabetes sample, trained briefly: errors, R² and the two charts, no confusion matrix. */
@ExtendWith(ApplicationExtension.class)
class RegressionEvaluationViewTest {

    @TempDir
    static Path dir;
    static Path folder;

    private EvaluationView view;

    @BeforeAll
    static void trainBriefly() throws Exception {
        folder = SampleCopies.copy("diabetes-regression", dir.resolve("diabetes-regression"));
        TrainedProjects.train(ProjectIO.load(folder), folder, 0, 10);
    }

    @Start
    void start(Stage stage) throws Exception {
        view = EvaluationViewStage.show(stage, folder);
    }

    @Test
    void evaluatingARunThatPredictsANumberShowsItsErrorsAndCharts(FxRobot robot) {
        robot.clickOn("#evaluateButton");

        RegressionEvaluation e = view.numbers().result();
        assertTrue(e != null, robot.lookup("#evaluationStatus").queryAs(Label.class).getText());
        assertNull(view.result(), "no classification result for a number");
        assertEquals(88, e.size(), "the sample's test split");
        String headline = robot.lookup("#regressionMetrics").queryAs(Label.class).getText();
        assertTrue(headline.startsWith(String.format(java.util.Locale.ROOT, "R² %.4f · MSE %.4f · MAE %.4f on 88 test samples",
                e.r2(), e.mse(), e.mae())), headline);
        TabPane tabs = robot.lookup("#evaluationTabs").queryAs(TabPane.class);
        assertSame(view.numbers(), tabs.getTabs().get(0).getContent(), "the charts take the confusion matrix's place");

        CurveChart.Curve points = view.numbers().scatter().curves().get("samples");
        CurveChart.Curve residuals = view.numbers().residuals().curves().get("residuals");
        assertEquals(88, points.size());
        assertEquals(88, residuals.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.actual()[i], points.x(i), 1e-6);
            assertEquals(e.predicted()[i], points.y(i), 1e-6);
            assertEquals(e.predicted()[i], residuals.x(i), 1e-6);
            assertEquals(e.predicted()[i] - e.actual()[i], residuals.y(i), 1e-4);
        }
        assertTrue(e.mae() > 0 && e.mae() < 100, "progression runs from 25 to 346; a briefly trained MLP is off by tens: " + e.mae());
        assertEquals(List.of(), TextFits.cutShort((Parent) view.node()), "every number and label shows whole");
    }
}
