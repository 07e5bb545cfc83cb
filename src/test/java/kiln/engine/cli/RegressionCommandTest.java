package kiln.engine.cli;

import kiln.engine.train.LinearProjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainEvaluateAndPredictSpeakOfNumbers() throws Exception {
        LinearProjects.line(dir, "linear_mse");

        CliRun train = CliRun.kiln("train", dir.toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("predicting y (training mean"), train.out());
        assertTrue(train.out().contains("  r2 ") && train.out().contains("val_r2 "), train.out());
        assertFalse(train.out().contains("accuracy"), "accuracy does not apply to numbers:\n" + train.out());
        double trainR2 = number(train.out(), "test r2: ");
        assertTrue(trainR2 > 0.99, train.out());

        CliRun evaluate = CliRun.kiln("evaluate", dir.toString(), "--weights", "last");
        assertEquals(0, evaluate.code(), evaluate.out() + evaluate.err());
        assertEquals(trainR2, number(evaluate.out(), "test r2: "), 1e-4, evaluate.out());
        double mse = number(evaluate.out(), "test mse: ");
        double mae = number(evaluate.out(), "test mae: ");
        assertTrue(mse >= 0 && mae >= 0 && mae * mae <= mse + 1e-4, "MAE² ≤ MSE: " + evaluate.out());

        CliRun predict = CliRun.kiln("predict", dir.toString(), "3");
        assertEquals(0, predict.code(), predict.out() + predict.err());
        assertEquals(7.0, number(predict.out(), "y = "), 0.25, predict.out());

        CliRun cv = CliRun.kiln("cv", dir.toString(), "--folds", "2", "--epochs", "10");
        assertEquals(0, cv.code(), cv.out() + cv.err());
        assertTrue(cv.out().contains("val_r2 "), cv.out());
        assertTrue(number(cv.out(), "cv r2: ") > 0.9, "the folds are not stratified by a class that is not there: " + cv.out());
    }

    private static double number(String text, String after) {
        Matcher m = Pattern.compile(Pattern.quote(after) + "(-?[0-9.]+)").matcher(text);
        assertTrue(m.find(), "no \"" + after + "\" in:\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
