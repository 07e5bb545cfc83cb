package kiln.engine.cli;

import kiln.engine.data.DataFormatException;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Run one input through the project's preprocessing and a trained network and print the class probabilities.",
                "INPUT is an image file (PNG or JPEG), a CSV file with one row of feature values per line",
                "(a header line is skipped), or a row of numbers such as \"5.1,3.5,1.4,0.2\"."})
final class PredictCommand implements Callable<Integer> {

    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @Parameters(index = "1", paramLabel = "INPUT", description = "Image file, CSV file, or a row of numbers.")
    String input;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ProjectArgument.folder(project);
        Project p = ProjectArgument.load(folder);
        Path file = Path.of(input);
        boolean isFile = Files.isRegularFile(file);
        String lower = input.toLowerCase(Locale.ROOT);
        if (!isFile && (IMAGE_EXTENSIONS.stream().anyMatch(lower::endsWith) || lower.endsWith(".csv"))) {
            throw new KilnCommand.UserError("there is no file " + file.toAbsolutePath() + "; check the path.");
        }
        TrainedModel model = runOptions.load(p, folder);
        Predictor predictor = new Predictor(model);
        int size = Math.toIntExact(model.inputShape().elementCount());
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try {
            if (isFile && IMAGE_EXTENSIONS.stream().anyMatch(lower::endsWith)) {
                rows.add(Predictor.readImage(file, model.inputShape()));
                labels.add(file.getFileName().toString());
            } else if (isFile) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank() || (i == 0 && !looksNumeric(line))) continue; // header
                    try {
                        rows.add(Predictor.parseRow(line, size));
                    } catch (IllegalArgumentException e) {
                        throw new KilnCommand.UserError(file + " line " + (i + 1) + ": " + e.getMessage() + ".");
                    }
                    labels.add(file.getFileName() + " line " + (i + 1));
                }
                if (rows.isEmpty()) throw new KilnCommand.UserError(file + " has no rows of numbers.");
            } else {
                rows.add(Predictor.parseRow(input, size));
                labels.add("row");
            }
        } catch (DataFormatException e) {
            throw new KilnCommand.UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new KilnCommand.UserError("INPUT " + e.getMessage() + ".");
        }
        out.printf(Locale.ROOT, "%s, %s%n", p.name(), model.describe());
        for (int r = 0; r < rows.size(); r++) {
            Predictor.Prediction pr = predictor.predict(rows.get(r));
            out.printf(Locale.ROOT, "%n%s: %s (%.4f)%n", labels.get(r), pr.classNames().get(pr.predicted()), pr.confidence());
            int w = pr.classNames().stream().mapToInt(String::length).max().orElse(1);
            for (int c = 0; c < pr.probabilities().length; c++) {
                float v = pr.probabilities()[c];
                out.printf(Locale.ROOT, "  %-" + w + "s  %.4f  %s%n", pr.classNames().get(c), v,
                        "#".repeat(Math.max(0, Math.round(Math.min(1f, Math.max(0f, v)) * 40))));
            }
        }
        out.flush();
        return 0;
    }

    private static boolean looksNumeric(String line) {
        String first = line.split("[,;\\t ]")[0].trim();
        try {
            Float.parseFloat(first);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
