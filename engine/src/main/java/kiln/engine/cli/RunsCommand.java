package kiln.engine.cli;

import kiln.engine.project.Project;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.train.RunImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** A project's runs: list them, or bring one trained elsewhere (PyTorch's train.py) into the project. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List a project's runs or import one trained elsewhere.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Import.class})
final class RunsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the project's runs, oldest first.")
    static final class ListRuns extends ProjectCommand {
        @Override
        int run(PrintWriter w, Path folder, Project p) {
            try {
                var runs = RunFolder.list(folder);
                if (runs.isEmpty()) w.println("No runs yet; train with: kiln train " + folder);
                for (RunFolder r : runs) {
                    try {
                        RunRecord rec = r.readCurrentRecord();
                        w.println(String.format(Locale.ROOT, "%-8s %-14s %3d epochs  test accuracy %s%s%s", r.id(), rec.status(),
                                rec.epochsCompleted(), Double.isNaN(rec.testAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", rec.testAccuracy()),
                                rec.group() == null ? "" : "  group " + rec.group(),
                                rec.message() == null ? "" : "  " + rec.message()));
                    } catch (IOException e) {
                        w.println(r.id() + "  (its run.json cannot be read: " + e.getMessage() + ")");
                    }
                }
            } catch (IOException e) {
                throw new KilnCommand.UserError("The runs of " + folder + " cannot be listed: " + e.getMessage());
            }
            w.flush();
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Bring a run trained with an exported train.py (kiln export --format pytorch-train) into the project",
                    "as a new run, after checking its metrics and weights against the project's network."})
    static final class Import extends ProjectCommand {
        @Parameters(index = "1", paramLabel = "FOLDER", description = "The run folder train.py wrote (run/ in the export), or the export folder.")
        Path source;

        @Override
        int run(PrintWriter w, Path folder, Project p) {
            RunFolder run;
            try {
                run = RunImport.importRun(p, folder, source);
            } catch (RunImport.RefusedException e) {
                throw new KilnCommand.UserError("not imported: " + e.getMessage());
            }
            try {
                RunRecord r = run.readRecord();
                w.println(String.format(Locale.ROOT, "Imported %s as %s: %d epochs, test accuracy %.4f (%s)", source, run.id(),
                        r.epochsCompleted(), r.testAccuracy(), r.status()));
            } catch (IOException e) {
                w.println("Imported " + source + " as " + run.id());
            }
            w.flush();
            return 0;
        }
    }
}
