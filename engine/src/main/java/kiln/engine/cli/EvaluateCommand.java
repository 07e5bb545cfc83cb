package kiln.engine.cli;

import kiln.engine.eval.Evaluation;
import kiln.engine.eval.Evaluator;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.Project;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained run on the test split: accuracy, per-class metrics, confusion matrix.",
                "Prints precision, recall and F1 per class with their macro and weighted averages."})
final class EvaluateCommand extends ProjectCommand {

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Override
    int run(PrintWriter out, Path folder, Project p) {
        TrainedModel model = runOptions.load(p, folder);
        Evaluation e = Evaluator.evaluate(model, Progress.NONE);
        out.printf(Locale.ROOT, "%s, %s: %d test samples%n%n", p.name(), model.describe(), e.size());
        print(out, e);
        return 0;
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
