package kiln.engine.cli;

import kiln.engine.data.DataFormatException;
import kiln.engine.eval.Predictor;
import kiln.engine.shape.TensorShape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The INPUT of predict, activations and explain: an image file, a CSV file of rows, or one row of numbers. */
final class InputArgument {

    static final String DESCRIPTION = "Image file (PNG or JPEG), CSV file with one row of feature values per line "
            + "(a header line is skipped), or a row of numbers such as \"5.1,3.5,1.4,0.2\".";
    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** One raw input and how to name it in the output. */
    record Sample(String label, float[] raw) { }

    private InputArgument() { }

    /** Refuses a file name that does not exist, before anything slow (loading a model) happens. */
    static void checkExists(String input) {
        Path file = Path.of(input);
        String lower = input.toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(file) && (isImage(lower) || lower.endsWith(".csv"))) {
            throw new KilnCommand.UserError("there is no file " + file.toAbsolutePath() + "; check the path.");
        }
    }

    static List<Sample> read(String input, TensorShape shape) throws IOException {
        checkExists(input);
        Path file = Path.of(input);
        String lower = input.toLowerCase(Locale.ROOT);
        int size = Math.toIntExact(shape.elementCount());
        List<Sample> samples = new ArrayList<>();
        try {
            if (Files.isRegularFile(file) && isImage(lower)) {
                samples.add(new Sample(file.getFileName().toString(), Predictor.readImage(file, shape)));
            } else if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank() || (i == 0 && !looksNumeric(line))) continue; // header
                    try {
                        samples.add(new Sample(file.getFileName() + " line " + (i + 1), Predictor.parseRow(line, size)));
                    } catch (IllegalArgumentException e) {
                        throw new KilnCommand.UserError(file + " line " + (i + 1) + ": " + e.getMessage() + ".");
                    }
                }
                if (samples.isEmpty()) throw new KilnCommand.UserError(file + " has no rows of numbers.");
            } else {
                samples.add(new Sample("row", Predictor.parseRow(input, size)));
            }
        } catch (DataFormatException e) {
            throw new KilnCommand.UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new KilnCommand.UserError("INPUT " + e.getMessage() + ".");
        }
        return samples;
    }

    /** The one input a command explains; a CSV file of several rows is refused with how to pick one. */
    static Sample readOne(String input, TensorShape shape) throws IOException {
        List<Sample> samples = read(input, shape);
        if (samples.size() > 1) {
            throw new KilnCommand.UserError(input + " has " + samples.size() + " rows; give one row (a file with one "
                    + "line, or the numbers themselves).");
        }
        return samples.get(0);
    }

    private static boolean isImage(String lowerName) {
        return IMAGE_EXTENSIONS.stream().anyMatch(lowerName::endsWith);
    }

    private static boolean looksNumeric(String line) {
        String first = line.split("[,;\\t ]")[0].trim();
        try {
            Float.parseFloat(first);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
