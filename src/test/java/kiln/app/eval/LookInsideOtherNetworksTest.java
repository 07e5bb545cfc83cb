package kiln.app.eval;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.engine.eval.TrainedSample;
import kiln.engine.project.ProjectIO;
import kiln.widgets.tasks.SameThreadTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mistakes' explanations and a unit's top samples for an MLP on images and for a table of features. */
@ExtendWith(ApplicationExtension.class)
class LookInsideOtherNetworksTest {

    @RegisterExtension
    static final TrainedSample mlp = new TrainedSample("mnist-mlp", 600);
    @RegisterExtension
    static final TrainedSample tabular = new TrainedSample("tabular-binary", 0);

    private EvaluationView show(FxRobot robot, Path folder) throws Exception {
        EvaluationView[] view = new EvaluationView[1];
        robot.interact(() -> {
            try {
                ProjectDocument document = new ProjectDocument(ProjectIO.load(folder), folder);
                view[0] = new EvaluationView(new ViewContext(document, new SameThreadTaskExecutor(), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            Stage stage = new Stage();
            stage.setScene(new Scene((Parent) view[0].node(), 1280, 660));
            stage.show();
        });
        return view[0];
    }

    @Test
    void anMlpsMistakesAreExplainedByTheirSaliency(FxRobot robot) throws Exception {
        EvaluationView view = show(robot, mlp.folder());
        robot.interact(view::evaluate);
        List<javafx.scene.image.Image> plain = view.mistakes().images();
        assertTrue(plain.size() > 0);
        robot.interact(() -> robot.lookup("#showWhatItLookedAt").queryAs(CheckBox.class).setSelected(true));
        assertTrue(robot.lookup("#mistakesExplanation").queryAs(Label.class).getText().startsWith("Saliency for the predicted class"));
        List<javafx.scene.image.Image> explained = view.mistakes().images();
        assertEquals(plain.size(), explained.size());
        long changed = java.util.stream.IntStream.range(0, plain.size())
                .filter(k -> !java.util.Arrays.equals(argb(plain.get(k)), argb(explained.get(k)))).count();
        assertEquals(plain.size(), changed, "every mistake has the heat map laid over it");
    }

    @Test
    void aTablesMistakesHaveNoPictureToExplainAndItsTopSamplesAreRows(FxRobot robot) throws Exception {
        EvaluationView view = show(robot, tabular.folder());
        robot.interact(view::evaluate);
        assertTrue(robot.lookup("#showWhatItLookedAt").queryAs(CheckBox.class).isDisabled(), "rows have no picture");
        robot.interact(() -> {
            robot.lookup("#exciteLayer").queryComboBox().getSelectionModel().select("dense1");
            view.unitExplorer().find();
        });
        assertEquals(UnitExplorer.TOP, view.unitExplorer().gallery().tileCount(),
                robot.lookup("#exciteStatus").queryAs(Label.class).getText());
        assertTrue(view.unitExplorer().gallery().images().stream().allMatch(Objects::isNull), "text tiles");
        assertTrue(view.unitExplorer().gallery().captions().get(0).contains("["), view.unitExplorer().gallery().captions().get(0));
    }

    private static int[] argb(javafx.scene.image.Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) out[i] = image.getPixelReader().getArgb(i % w, i / w);
        return out;
    }
}
