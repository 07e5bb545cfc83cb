package kiln.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in-process, with its exit code and what it printed, for the CLI tests. */
record CliRun(int code, String out, String err) {

    static CliRun kiln(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KilnCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }
}
