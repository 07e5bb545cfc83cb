package kiln.engine.cli;

import kiln.engine.data.CategoricalEncoding;
import kiln.engine.data.Cifar10Download;
import kiln.engine.data.CsvReader;
import kiln.engine.data.DataFormatException;
import kiln.engine.data.DataLoader;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A project's data as Kiln reads it, and data sets that Kiln cannot ship. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Show how Kiln reads a project's data: the splits, the classes, a CSV's columns (numeric,",
                "categorical with their categories, ignored, the target) and what the reader left out, with why.",
                "With the cifar10 command: get data sets that Kiln cannot ship."},
        subcommands = {DataCommand.Cifar10.class})
final class DataCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "0..1", paramLabel = "PROJECT", description = "Project folder (holding project.json).")
    Path project;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (project == null) {
            spec.commandLine().usage(out);
            return 0;
        }
        Path folder = ProjectArgument.folder(project);
        Project p = ProjectArgument.load(folder);
        DataLoader.Read read;
        try {
            read = DataLoader.read(p.data(), folder, p.split(), Progress.NONE);
        } catch (DataFormatException e) {
            throw new KilnCommand.UserError("the data cannot be read: " + e.getMessage());
        }
        DataSplits s = read.splits();
        Dataset train = s.train();
        out.printf(Locale.ROOT, "%s: %d training, %d validation, %d test samples of %s%n", p.name(), train.size(),
                s.validation().size(), s.test().size(), train.sampleShape());
        int[] counts = train.classCounts();
        StringBuilder classes = new StringBuilder();
        for (int c = 0; c < train.classCount(); c++) {
            classes.append(c == 0 ? "" : ", ").append(train.classNames().get(c)).append(' ').append(counts[c]);
        }
        out.printf(Locale.ROOT, "%d classes (training split): %s%n", train.classCount(), classes);
        if (read.csv() != null) printColumns(out, read.csv());
        printLeftOut(out, read.leftOut());
        out.flush();
        return 0;
    }

    /** One line per kind of column: the numeric ones, each categorical one with its categories, the ignored ones, the target. */
    static void printColumns(PrintWriter out, CsvReader.Report csv) {
        List<CsvReader.Column> numeric = csv.columns(CsvReader.Kind.NUMERIC);
        List<String> names = numeric.stream().map(CsvReader.Column::name).toList();
        out.printf(Locale.ROOT, "columns: %d numeric%s%n", numeric.size(), numeric.isEmpty() ? ""
                : " (" + String.join(", ", names.subList(0, Math.min(10, names.size())))
                + (names.size() > 10 ? ", and " + (names.size() - 10) + " more" : "") + ")");
        for (CsvReader.Column c : csv.columns(CsvReader.Kind.CATEGORICAL)) {
            out.printf(Locale.ROOT, "  categorical %s: %d categories from the training split (%s), unseen ones as %s%n",
                    c.name(), c.values().size(), String.join(", ", c.values()), CategoricalEncoding.OTHER);
        }
        for (CsvReader.Column c : csv.columns(CsvReader.Kind.IGNORED)) out.printf(Locale.ROOT, "  ignored %s%n", c.name());
        out.printf(Locale.ROOT, "  target %s; %d values per sample go to the network%n", csv.target(), csv.featureColumns().size());
        if (csv.totalMissing() > 0) {
            out.printf(Locale.ROOT, "missing values: %d (add Fill missing values or Drop rows with missing values to the "
                    + "pipeline)%n", csv.totalMissing());
            csv.missingPerColumn().forEach((column, n) -> {
                if (n > 0) out.printf(Locale.ROOT, "  %s: %d, on line%s %s%s%n", column, n, n == 1 ? "" : "s",
                        String.join(", ", csv.firstMissingLines().get(column).stream().map(String::valueOf).toList()),
                        n > csv.firstMissingLines().get(column).size() ? ", …" : "");
            });
        }
    }

    /** What a reader left out, one line each with the reason; nothing when it left nothing out. */
    static void printLeftOut(PrintWriter out, List<String> leftOut) {
        if (leftOut.isEmpty()) return;
        out.printf(Locale.ROOT, "Left out while reading (%d):%n", leftOut.size());
        for (String note : leftOut) out.println("  - " + note);
        out.flush();
    }

    @Command(name = "cifar10", mixinStandardHelpOptions = true,
            description = {"Download CIFAR-10 (binary version) or check a copy you have.",
                    "The CIFAR-10 samples read " + Cifar10Download.STANDARD_LOCATION + "."})
    static final class Cifar10 implements Callable<Integer> {

        @CommandLine.ArgGroup(multiplicity = "1")
        Action action;

        static final class Action {
            @Option(names = "--download", required = true, description = "Download, check (MD5) and unpack the official archive.")
            boolean download;

            @Option(names = "--locate", required = true, paramLabel = "DIR",
                    description = "Check that DIR (or DIR/cifar-10-batches-bin) holds the complete CIFAR-10 binary version.")
            Path locate;
        }

        @Option(names = "--to", paramLabel = "DIR", description = "Where --download puts the folder (default: ${DEFAULT-VALUE}).")
        Path to = Cifar10Download.standardFolder();

        @Option(names = "--from", paramLabel = "URL", description = "A mirror of cifar-10-binary.tar.gz (checked against the official MD5).")
        URI from = Cifar10Download.OFFICIAL_URL;

        @Option(names = "--project", paramLabel = "PROJECT",
                description = "Also make PROJECT read CIFAR-10 from the downloaded or located folder.")
        Path project;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path folder = action.download ? download(out) : locate(out);
            if (project != null) useIn(folder, out);
            return 0;
        }

        private Path download(PrintWriter out) {
            out.println("Downloading " + from + " into " + to.toAbsolutePath().normalize() + " ...");
            out.flush();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch cleanedUp = new CountDownLatch(1);
            // Ctrl+C: ask the download to stop and give it a moment to delete its temporary files
            Thread hook = new Thread(() -> {
                stop.set(true);
                try {
                    cleanedUp.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                Path done = new Cifar10Download(from, Cifar10Download.OFFICIAL_MD5, Cifar10Download.RECORDS_PER_FILE)
                        .download(to, new PrintedProgress(out, stop));
                out.println("CIFAR-10 is ready in " + done);
                return done;
            } catch (Cifar10Download.DownloadException e) {
                throw new KilnCommand.UserError(e.getMessage());
            } catch (Progress.CancelledException e) {
                throw new KilnCommand.UserError("the download was cancelled; nothing was kept");
            } finally {
                cleanedUp.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting because of Ctrl+C
                }
            }
        }

        private Path locate(PrintWriter out) {
            try {
                Path dir = Cifar10Download.locate(action.locate);
                out.println("CIFAR-10 is complete in " + dir + " (50,000 training and 10,000 test images).");
                return dir;
            } catch (DataFormatException e) {
                throw new KilnCommand.UserError(e.getMessage());
            }
        }

        private void useIn(Path folder, PrintWriter out) {
            Path projectFolder = ProjectArgument.folder(project);
            Project p = ProjectArgument.load(projectFolder);
            if (!(p.data() instanceof DataSourceSpec.Cifar10)) {
                throw new KilnCommand.UserError(projectFolder + " reads " + p.data().kind() + " data, not CIFAR-10; "
                        + "it was left unchanged");
            }
            String path = folder.equals(Cifar10Download.standardFolder()) ? Cifar10Download.STANDARD_LOCATION : folder.toString();
            p.setData(new DataSourceSpec.Cifar10(path));
            try {
                ProjectIO.save(p, projectFolder);
            } catch (IOException e) {
                throw new KilnCommand.UserError("cannot save " + projectFolder.resolve(ProjectIO.FILE) + ": " + e.getMessage());
            }
            out.println(p.name() + " now reads CIFAR-10 from " + path);
        }
    }

    /** One line per tenth of the download; Ctrl+C cancels (and the download cleans up). */
    private static final class PrintedProgress implements Progress {
        private final PrintWriter out;
        private final AtomicBoolean stop;
        private int lastTenth = -1;
        private String lastPhase = "";

        PrintedProgress(PrintWriter out, AtomicBoolean stop) {
            this.out = out;
            this.stop = stop;
        }

        @Override
        public synchronized void update(double fraction, String message) {
            int tenth = fraction < 0 ? -1 : (int) (fraction * 10);
            String phase = message.replaceAll("[0-9.]+", "");
            if (tenth != lastTenth || !phase.equals(lastPhase)) {
                out.println(fraction < 0 ? message : String.format(Locale.ROOT, "%3.0f%%  %s", fraction * 100, message));
                out.flush();
            }
            lastTenth = tenth;
            lastPhase = phase;
        }

        @Override
        public boolean isCancelled() {
            return stop.get();
        }
    }
}
