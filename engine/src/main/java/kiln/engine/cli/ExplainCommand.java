package kiln.engine.cli;

import kiln.engine.eval.LayerPictures;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.Outputs;
import kiln.engine.project.Project;
import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain one prediction: print the class probabilities and show what the",
                "class's score rests on. For a CNN, Grad-CAM (the last layer of feature maps,",
                "weighed by the class's gradients) over the image; for other image networks the",
                "saliency map (the input's gradient); for a row of features, each feature's",
                "gradient × input. Gradients are exact, in inference mode, as in predictions."})
final class ExplainCommand extends SampleCommand {

    private static final int FEATURES_SHOWN = 10;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Where to write the heat map over the image (images only).")
    Path out;

    @Option(names = "--class", paramLabel = "CLASS", description = "The class to explain, by name or number (default: the predicted one).")
    String className;

    @Option(names = "--method", paramLabel = "METHOD", description = "gradcam or saliency (default: gradcam where the network has feature maps).")
    String method;

    @Option(names = "--layer", paramLabel = "LAYER", description = "The layer Grad-CAM looks at (default: the last layer of feature maps).")
    String layer;

    @Override
    void checkOptions() {
        if (method != null && !List.of("gradcam", "saliency").contains(method)) {
            throw new KilnCommand.UserError("--method is '" + method + "'; use gradcam or saliency.");
        }
    }

    @Override
    int run(PrintWriter printer, Path folder, Project p) throws IOException {
        TrainedModel model = model(p, folder);
        TensorShape shape = model.inputShape();
        boolean image = shape.kind() == TensorShape.Kind.IMAGE;
        if (!image && out != null) {
            throw new KilnCommand.UserError("--out writes a heat map over an image, but this network takes " + shape
                    + "; leave --out away to print each feature's share instead.");
        }
        if (image && out == null) throw new KilnCommand.UserError("give --out heatmap.png for the picture of the explanation.");
        InputArgument.Sample sample = InputArgument.readOne(input, shape);
        Predictor predictor = new Predictor(model);
        Predictor.Prediction prediction = predictor.predict(sample.raw());
        int cls = classIndex(prediction.classNames(), prediction.predicted());
        printer.printf(Locale.ROOT, "%s, %s%n", p.name(), model.describe());
        PredictCommand.print(printer, sample.label(), prediction);
        printer.println();
        if (!image) {
            printAttributions(printer, predictor.attributions(sample.raw(), cls), prediction.classNames().get(cls));
            return 0;
        }
        boolean gradCam = method == null ? !predictor.gradCamLayers().isEmpty() : method.equals("gradcam");
        float[] heat;
        String what;
        try {
            if (gradCam) {
                Predictor.Heatmap h = predictor.gradCam(sample.raw(), cls, layer);
                heat = h.map();
                what = "Grad-CAM at " + h.coarse().layer() + " (" + h.coarse().height() + "×" + h.coarse().width() + ")";
            } else {
                if (layer != null) throw new KilnCommand.UserError("--layer is for Grad-CAM; saliency looks at the input.");
                heat = predictor.saliency(sample.raw(), cls, Progress.NONE);
                what = "saliency (the input's gradient)";
            }
        } catch (IllegalArgumentException e) {
            throw new KilnCommand.UserError(e.getMessage() + ".");
        }
        BufferedImage picture = LayerPictures.overlay(sample.raw(), shape, heat);
        try {
            Outputs.writeFile(out, tmp -> ImageIO.write(picture, "png", tmp.toFile()));
        } catch (ExportException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        printer.printf(Locale.ROOT, "%s for class %s written to %s%n", what, prediction.classNames().get(cls),
                out.toAbsolutePath().normalize());
        return 0;
    }

    /** --class by name or number, or the predicted class. */
    private int classIndex(List<String> names, int predicted) {
        if (className == null) return predicted;
        int byName = names.indexOf(className);
        if (byName >= 0) return byName;
        try {
            int n = Integer.parseInt(className);
            if (n >= 0 && n < names.size()) return n;
        } catch (NumberFormatException ignored) {
            // not a number: refused below
        }
        throw new KilnCommand.UserError("--class is '" + className + "'; classes: " + String.join(", ", names) + ".");
    }

    private static void printAttributions(PrintWriter out, float[] a, String cls) {
        out.printf(Locale.ROOT, "features that speak for (+) or against (−) %s, gradient × input, largest first:%n", cls);
        List<Integer> order = IntStream.range(0, a.length).boxed()
                .sorted(Comparator.comparingDouble(i -> -Math.abs(a[i]))).limit(FEATURES_SHOWN).toList();
        for (int i : order) out.printf(Locale.ROOT, "  feature %3d  %+.4f%n", i + 1, a[i]);
    }
}
