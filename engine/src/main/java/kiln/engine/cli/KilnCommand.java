package kiln.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The headless command line: `java -jar kiln.jar <command> ...`. */
@Command(name = "kiln", mixinStandardHelpOptions = true, version = "Kiln 0.1.0",
        description = "Build, train and inspect neural networks. Run without a command to open the app.",
        subcommands = {TrainCommand.class, CvCommand.class, SweepCommand.class, SummaryCommand.class, EvaluateCommand.class, PredictCommand.class,
                ActivationsCommand.class, ExplainCommand.class, ExciteCommand.class, LrFindCommand.class,
                ExportCommand.class, ImportCommand.class, RunsCommand.class, BenchCommand.class, DataCommand.class, CommandLine.HelpCommand.class})
public final class KilnCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code; errors print one readable line, never a stack trace. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new KilnCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println("kiln: " + e.getMessage());
                return 1;
            }
            commandLine.getErr().println("kiln: unexpected error: " + e);
            if (System.getenv("KILN_DEBUG") != null) e.printStackTrace(commandLine.getErr());
            else commandLine.getErr().println("(set KILN_DEBUG=1 to see the details)");
            return 2;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A problem the user can fix; printed as "kiln: message". */
    public static final class UserError extends RuntimeException {
        public UserError(String message) {
            super(message);
        }
    }
}
