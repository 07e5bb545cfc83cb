package kiln.engine.cli;

import kiln.engine.data.Dataset;
import kiln.engine.eval.LayerPictures;
import kiln.engine.eval.TopActivations;
import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.Outputs;
import kiln.engine.project.Project;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

@Command(name = "excite", mixinStandardHelpOptions = true,
        description = {"What excites a unit: the training samples on which one unit of a layer fires most.",
                "A unit is a feature of a vector or a channel of feature maps; a channel is scored",
                "by its largest value over the positions. One pass over the first --limit samples",
                "of the training split; prints each top sample's index, class and value, and for",
                "images writes them side by side with --out."})
final class ExciteCommand extends ProjectCommand {

    /** Feature values printed per row of a table's top samples. */
    private static final int VALUES_SHOWN = 8;

    @Option(names = "--layer", required = true, paramLabel = "LAYER", description = "The layer whose unit to look at, e.g. conv2.")
    String layer;

    @Option(names = "--unit", required = true, paramLabel = "UNIT", description = "The unit: a channel or feature number, from 0.")
    int unit;

    @Option(names = "--top", paramLabel = "K", defaultValue = "" + TopActivations.DEFAULT_TOP,
            description = "How many samples to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + TopActivations.DEFAULT_LIMIT,
            description = "How many training samples to look at, from the start of the split; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the top samples side by side (images only).")
    Path out;

    @Option(names = "--untrained", description = "Use the initial weights of a new run instead of a trained run.")
    boolean untrained;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @Override
    void checkOptions() {
        if (top < 1) throw new KilnCommand.UserError("--top is " + top + "; give 1 or more.");
        if (limit < 0) throw new KilnCommand.UserError("--limit is " + limit + "; give 0 (all) or more.");
    }

    @Override
    int run(PrintWriter printer, Path folder, Project p) {
        TrainedModel model = runOptions.load(p, folder, untrained);
        boolean image = model.inputShape().kind() == TensorShape.Kind.IMAGE;
        if (!image && out != null) {
            throw new KilnCommand.UserError("--out writes pictures, but this network takes " + model.inputShape()
                    + "; leave --out away, the rows are printed.");
        }
        TopActivations.Result result;
        try {
            result = TopActivations.find(model, layer, unit, top, limit, Progress.NONE);
        } catch (IllegalArgumentException e) {
            throw new KilnCommand.UserError(e.getMessage() + ".");
        }
        Dataset train = model.data().splits().train();
        printer.printf(Locale.ROOT, "%s, %s%n", p.name(), model.describe());
        printer.printf(Locale.ROOT, "%s unit %d%s: the top %d of the first %,d training samples%n", layer, unit,
                result.reduction().isEmpty() ? "" : " (" + result.reduction() + ")", result.top().size(), result.scanned());
        int per = train.sampleLength();
        for (int i = 0; i < result.top().size(); i++) {
            TopActivations.Entry e = result.top().get(i);
            String row = image ? "" : "  " + values(train.features(), e.sample() * per, per);
            printer.printf(Locale.ROOT, "%3d.  sample %6d  %-12s  %10.4f%s%n", i + 1, e.sample(),
                    train.classNames().get(e.label()), e.value(), row);
        }
        if (!image) printer.println("(feature values after the pipeline)");
        if (out != null) {
            int[] indices = result.top().stream().mapToInt(TopActivations.Entry::sample).toArray();
            BufferedImage grid = LayerPictures.samples(train, indices, 8);
            try {
                Outputs.writeFile(out, tmp -> ImageIO.write(grid, "png", tmp.toFile()));
            } catch (ExportException e) {
                throw new KilnCommand.UserError(e.getMessage());
            }
            printer.printf(Locale.ROOT, "wrote the %d samples, best first, to %s%n", indices.length, out.toAbsolutePath().normalize());
        }
        return 0;
    }

    /** "[0.123, -1.040, …]": the first values of a row. */
    static String values(float[] features, int offset, int per) {
        return java.util.stream.IntStream.range(0, Math.min(per, VALUES_SHOWN))
                .mapToObj(i -> String.format(Locale.ROOT, "%.3f", features[offset + i]))
                .collect(Collectors.joining(", ", "[", per > VALUES_SHOWN ? ", …]" : "]"));
    }
}
