package kiln.engine.cli;

import kiln.engine.project.Project;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** A command on one project, named by its first parameter: it reads the project, then runs on it. */
abstract class ProjectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        checkOptions();
        Path folder = ProjectArgument.folder(project);
        return run(spec.commandLine().getOut(), folder, ProjectArgument.load(folder));
    }

    /** Refuses bad options before the project is read; most commands have none to check early. */
    void checkOptions() { }

    /** The command's work on the project read from {@code folder}; returns the exit code. */
    abstract int run(PrintWriter out, Path folder, Project p) throws Exception;

    /** The check of every command's --limit-train. */
    static void checkLimitTrain(int limitTrain) {
        if (limitTrain < 0) throw new KilnCommand.UserError("--limit-train is " + limitTrain + "; use 0 (all) or more.");
    }
}
