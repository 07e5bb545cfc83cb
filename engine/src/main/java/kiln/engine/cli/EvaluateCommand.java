package kiln.engine.cli;

import kiln.engine.eval.BinaryCurves;
import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.PredictionsFile;
import kiln.engine.eval.RegressionEvaluation;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import kiln.engine.runs.DecisionThreshold;
import kiln.engine.util.AtomicFiles;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained run on the test split: accuracy, per-class metrics, confusion matrix.",
                "Prints precision, recall and F1 per class with their macro and weighted averages; for a yes/no task",
                "also the areas under the ROC and precision-recall curves and the decision threshold in use;",
                "for a numeric target (regression) the mean squared and absolute errors and R²."})
final class EvaluateCommand extends ProjectCommand {

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Option(names = "--predictions", paramLabel = "FILE.csv",
            description = "Also write one row per test sample: index, true class, predicted class, each class's probability "
                    + "(for a numeric target: index, true value, predicted value).")
    Path predictions;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Yes/no tasks: predict the second class when its probability is at least T (0..1), "
                    + "instead of the threshold saved with the run (0.5 when none was saved).")
    Double threshold;

    @Option(names = "--save-threshold", description = "Keep --threshold with the run, for predict, evaluate and the exports.")
    boolean saveThreshold;

    @Override
    void checkOptions() {
        if (saveThreshold && threshold == null) throw new KilnCommand.UserError("--save-threshold needs --threshold T.");
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new KilnCommand.UserError("--threshold is " + threshold + "; give a probability between 0 and 1.");
        }
    }

    @Override
    int run(PrintWriter out, Path folder, Project p) throws IOException {
        TrainedModel model = runOptions.load(p, folder);
        if (threshold != null) {
            if (model.classNames().size() != 2) {
                throw new KilnCommand.UserError("--threshold is for yes/no tasks; this one has "
                        + model.classNames().size() + " classes.");
            }
            DecisionThreshold chosen = new DecisionThreshold(model.classNames().get(1), threshold);
            model = model.withThreshold(chosen);
            if (saveThreshold) model.run().writeThreshold(chosen);
        }
        if (model.data().encoding().numeric()) {
            RegressionEvaluation r = Evaluator.evaluateNumbers(model, Progress.NONE);
            out.printf(Locale.ROOT, "%s, %s: %d test samples, predicting %s%n%n", p.name(), model.describe(), r.size(), r.target());
            print(out, r);
            if (predictions != null) writePredictions(out, PredictionsFile.csv(r), r.size());
            out.flush();
            return 0;
        }
        Evaluation e = Evaluator.evaluate(model, Progress.NONE);
        out.printf(Locale.ROOT, "%s, %s: %d test samples%n%n", p.name(), model.describe(), e.size());
        if (e.isBinary()) {
            out.println("threshold: " + model.threshold().orElse(new DecisionThreshold(e.classNames().get(1),
                    DecisionThreshold.DEFAULT)).describe() + (saveThreshold ? ", saved with " + model.run().id()
                    : threshold != null ? ", not saved" : model.threshold().isPresent() ? ", saved with the run" : ""));
        }
        print(out, e);
        if (e.isBinary()) printAreas(out, BinaryCurves.of(e), e);
        if (predictions != null) writePredictions(out, PredictionsFile.csv(e), e.size());
        out.flush();
        return 0;
    }

    private void writePredictions(PrintWriter out, String csv, int rows) {
        Path file = predictions.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new KilnCommand.UserError("--predictions " + predictions + " is a folder; give a file name such as predictions.csv.");
        }
        try {
            AtomicFiles.write(file, csv.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new KilnCommand.UserError("--predictions " + predictions + " cannot be written: " + ex.getMessage());
        }
        out.printf(Locale.ROOT, "%npredictions: %d rows in %s%n", rows, predictions);
    }

    /** The regression metrics, in the target's unit. */
    static void print(PrintWriter out, RegressionEvaluation r) {
        out.printf(Locale.ROOT, "test mse: %.4f%n", r.mse());
        out.printf(Locale.ROOT, "test mae: %.4f%n", r.mae());
        out.printf(Locale.ROOT, "test r2: %.4f%n", r.r2());
        out.flush();
    }

    /** "roc auc: 0.9912" and "pr auc: 0.9870 (average precision)", or why they are not defined. */
    static void printAreas(PrintWriter out, BinaryCurves curves, Evaluation e) {
        String why = curves.undefinedReason(e.classNames());
        out.println();
        out.println(Double.isNaN(curves.rocAuc()) ? "roc auc: not defined (" + why + ")"
                : String.format(Locale.ROOT, "roc auc: %.4f", curves.rocAuc()));
        out.println(Double.isNaN(curves.averagePrecision()) ? "pr auc: not defined (" + why + ")"
                : String.format(Locale.ROOT, "pr auc: %.4f (average precision, positive class %s)",
                curves.averagePrecision(), e.classNames().get(1)));
    }

    static void print(PrintWriter out, Evaluation e) {
        int w = Math.max(12, e.classNames().stream().mapToInt(String::length).max().orElse(0) + 2);
        out.printf(Locale.ROOT, "accuracy %.4f%n%n", e.accuracy());
        out.printf(Locale.ROOT, "%-" + w + "s %9s %7s %7s %8s%n", "class", "precision", "recall", "f1", "support");
        for (Evaluation.ClassMetrics m : e.perClass()) {
            out.printf(Locale.ROOT, "%-" + w + "s %9.4f %7.4f %7.4f %8d%n", m.name(), m.precision(), m.recall(), m.f1(), m.support());
        }
        out.printf(Locale.ROOT, "%-" + w + "s %9.4f %7.4f %7.4f %8d%n", "macro avg", e.macro().precision(), e.macro().recall(),
                e.macro().f1(), e.size());
        out.printf(Locale.ROOT, "%-" + w + "s %9.4f %7.4f %7.4f %8d%n%n", "weighted avg", e.weighted().precision(),
                e.weighted().recall(), e.weighted().f1(), e.size());
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        int[][] c = e.confusion();
        int cw = 6;
        for (int[] row : c) for (int v : row) cw = Math.max(cw, Integer.toString(v).length() + 1);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (int j = 0; j < c.length; j++) header.append(String.format(Locale.ROOT, "%" + cw + "s", abbreviate(e.classNames().get(j), cw - 1)));
        out.println(header);
        for (int i = 0; i < c.length; i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", e.classNames().get(i)));
            for (int v : c[i]) row.append(String.format(Locale.ROOT, "%" + cw + "d", v));
            out.println(row);
        }
        out.flush();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }
}
