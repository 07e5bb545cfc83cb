package kiln.engine.cli;

import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run one input through the project's preprocessing and a trained network and print the class probabilities",
                "(or, for a numeric target, the predicted number in the target's unit).",
                "INPUT is an image file (PNG or JPEG), a CSV file with one row of feature values per line",
                "(a header line is skipped), or a row of numbers such as \"5.1,3.5,1.4,0.2\"."})
final class PredictCommand extends ProjectCommand {

    @Parameters(index = "1", paramLabel = "INPUT", description = InputArgument.DESCRIPTION)
    String input;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Override
    int run(PrintWriter out, Path folder, Project p) throws IOException {
        InputArgument.checkExists(input);
        TrainedModel model = runOptions.load(p, folder);
        Predictor predictor = new Predictor(model);
        List<InputArgument.Sample> samples = InputArgument.read(input, model.inputShape());
        out.printf(Locale.ROOT, "%s, %s%n", p.name(), model.describe());
        model.threshold().ifPresent(t -> out.println("decision threshold: " + t.describe() + ", saved with the run"));
        for (InputArgument.Sample sample : samples) {
            if (predictor.predictsNumbers()) {
                out.printf(Locale.ROOT, "%n%s: %s = %.4f%n", sample.label(), model.test().targetName(), predictor.value(sample.raw()));
                continue;
            }
            Predictor.Prediction pr = predictor.predict(sample.raw());
            print(out, sample.label(), pr);
        }
        out.flush();
        return 0;
    }

    /** "label: class (0.9812)" and one line per class with a bar. */
    static void print(PrintWriter out, String label, Predictor.Prediction pr) {
        out.printf(Locale.ROOT, "%n%s: %s (%.4f)%n", label, pr.classNames().get(pr.predicted()), pr.confidence());
        int w = pr.classNames().stream().mapToInt(String::length).max().orElse(1);
        for (int c = 0; c < pr.probabilities().length; c++) {
            float v = pr.probabilities()[c];
            out.printf(Locale.ROOT, "  %-" + w + "s  %.4f  %s%n", pr.classNames().get(c), v,
                    "#".repeat(Math.max(0, Math.round(Math.min(1f, Math.max(0f, v)) * 40))));
        }
    }
}
