package kiln.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kiln.engine.eval.LayerPictures;
import kiln.engine.eval.LayerStatistics;
import kiln.engine.eval.Predictor;
import kiln.engine.eval.TrainedModel;
import kiln.engine.export.ExportException;
import kiln.engine.export.Outputs;
import kiln.engine.project.Project;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "activations", mixinStandardHelpOptions = true,
        description = {"Follow one input through the network: a picture of every layer's output.",
                "Feature maps become a grid of tiles (one per channel, each scaled to its own",
                "range), vectors a strip of cells. activations.json gives each layer's shape,",
                "mean, standard deviation and share of zeros. With --untrained the network has",
                "the weights training would start from, to compare with a trained run."})
final class ActivationsCommand extends SampleCommand {

    static final String SUMMARY = "activations.json";

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "A new folder for the pictures and activations.json.")
    Path out;

    @Override
    int run(PrintWriter printer, Path folder, Project p) throws IOException {
        TrainedModel model = model(p, folder);
        InputArgument.Sample sample = InputArgument.readOne(input, model.inputShape());
        List<Predictor.LayerOutput> layers = new Predictor(model).layerOutputs(sample.raw());
        List<Map<String, Object>> summary = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int nameWidth = layers.stream().mapToInt(l -> l.layer().length()).max().orElse(5);
        for (int i = 0; i < layers.size(); i++) {
            Predictor.LayerOutput l = layers.get(i);
            LayerStatistics s = l.statistics();
            String picture = String.format(Locale.ROOT, "%02d-%s.png", i, l.layer().replaceAll("[^A-Za-z0-9_.-]", "_"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", l.layer());
            row.put("type", p.graph().node(l.layer()).type().displayName());
            row.put("shape", l.shape().dims());
            row.put("mean", s.mean());
            row.put("std", s.std());
            row.put("min", s.min());
            row.put("max", s.max());
            row.put("zeroShare", s.zeroShare());
            row.put("picture", picture);
            summary.add(row);
            lines.add(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-12s  mean %9.4f  std %9.4f  zeros %5.1f %%  %s",
                    l.layer(), l.shape(), s.mean(), s.std(), 100 * s.zeroShare(), picture));
        }
        try {
            Outputs.writeFolder(out, SUMMARY, tmp -> {
                for (int i = 0; i < layers.size(); i++) {
                    Predictor.LayerOutput l = layers.get(i);
                    ImageIO.write(LayerPictures.of(l.shape(), l.values()), "png",
                            tmp.resolve((String) summary.get(i).get("picture")).toFile());
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("project", p.name());
                doc.put("weights", model.describe());
                doc.put("input", sample.label());
                doc.put("layers", summary);
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.resolve(SUMMARY).toFile(), doc);
            });
        } catch (ExportException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
        printer.printf(Locale.ROOT, "%s, %s, input %s%n", p.name(), model.describe(), sample.label());
        lines.forEach(printer::println);
        printer.printf(Locale.ROOT, "wrote %d pictures and %s to %s%n", layers.size(), SUMMARY, out.toAbsolutePath().normalize());
        return 0;
    }
}
