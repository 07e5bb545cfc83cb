package kiln.engine.data;

import kiln.engine.shape.TensorShape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a CSV file with a header row: numeric feature columns and one label column. Missing cells
 * (empty, NA, NaN, ?) become NaN and are counted in the {@link Report}, for cleaning steps to handle.
 * Rows with the wrong number of values or no label, and columns holding text, are left out and named in
 * the report, so the rest of the file still loads.
 */
public final class CsvReader {

    private static final Set<String> MISSING = Set.of("", "na", "nan", "?", "null");

    /**
     * What the reader found: per feature column, how many values are missing and on which lines (first few),
     * and what was left out (ragged rows, rows without a label, text columns), in plain words.
     */
    public record Report(List<String> featureColumns, Map<String, Integer> missingPerColumn,
                         Map<String, List<Integer>> firstMissingLines, List<String> leftOut) {

        public int totalMissing() {
            return missingPerColumn.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public record Result(Dataset data, Report report) { }

    private CsvReader() { }

    public static Result read(Path file, String labelColumn) throws DataFormatException {
        return read(file, labelColumn, false);
    }

    /**
     * @param numericTarget the label column holds the number to predict (regression) rather than class names; a cell
     *                      that is not a number is refused with its line
     */
    public static Result read(Path file, String labelColumn, boolean numericTarget) throws DataFormatException {
        List<List<String>> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parse(in, file, rows, lineNumbers);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) throw new DataFormatException(file, "is empty; it needs a header row and data rows");
        List<String> header = rows.get(0).stream().map(String::trim).toList();
        int labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new DataFormatException(file, "has no column \"" + labelColumn + "\"; its columns are " + header);
        }
        if (rows.size() < 2) throw new DataFormatException(file, "has a header but no data rows");

        List<String> notes = new ArrayList<>();
        // Rows that cannot be used are left out and named; the rest loads.
        List<List<String>> good = new ArrayList<>();
        List<Integer> goodLines = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = lineNumbers.get(r);
            if (row.size() != header.size()) {
                notes.add("line " + line + " has " + row.size() + " values but the header has " + header.size()
                        + " columns; it was left out (fix or remove that line)");
            } else if (MISSING.contains(row.get(labelIndex).trim().toLowerCase(Locale.ROOT))) {
                notes.add("line " + line + " has no value in the label column \"" + labelColumn
                        + "\"; it was left out (every row needs a label)");
            } else {
                good.add(row);
                goodLines.add(line);
            }
        }
        // A column with text in it is left out as a whole: Kiln's networks take numbers.
        List<Integer> featureIndex = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == labelIndex) continue;
            String text = null;
            int textLine = 0;
            for (int r = 0; r < good.size() && text == null; r++) {
                String cell = good.get(r).get(c).trim();
                if (MISSING.contains(cell.toLowerCase(Locale.ROOT))) continue;
                try {
                    Float.parseFloat(cell);
                } catch (NumberFormatException e) {
                    text = cell;
                    textLine = goodLines.get(r);
                }
            }
            if (text == null) {
                featureIndex.add(c);
            } else {
                notes.add("column \"" + header.get(c) + "\" holds text (\"" + text + "\" on line " + textLine
                        + "); it was left out, as feature columns must be numeric");
            }
        }
        if (good.isEmpty()) {
            throw new DataFormatException(file, "has no usable data rows: " + String.join("; ", notes));
        }
        if (featureIndex.isEmpty()) {
            throw new DataFormatException(file, "has no numeric feature columns besides \"" + labelColumn + "\""
                    + (notes.isEmpty() ? "" : ": " + String.join("; ", notes)));
        }
        List<String> features = featureIndex.stream().map(header::get).toList();
        int n = good.size();
        int d = features.size();
        float[] values = new float[n * d];
        String[] rawLabels = new String[n];
        Map<String, Integer> missing = new LinkedHashMap<>();
        Map<String, List<Integer>> firstMissing = new LinkedHashMap<>();
        for (String f : features) {
            missing.put(f, 0);
            firstMissing.put(f, new ArrayList<>());
        }
        for (int r = 0; r < n; r++) {
            List<String> row = good.get(r);
            rawLabels[r] = row.get(labelIndex).trim();
            for (int col = 0; col < d; col++) {
                String cell = row.get(featureIndex.get(col)).trim();
                String name = features.get(col);
                if (MISSING.contains(cell.toLowerCase(Locale.ROOT))) {
                    values[r * d + col] = Float.NaN;
                    missing.merge(name, 1, Integer::sum);
                    if (firstMissing.get(name).size() < 5) firstMissing.get(name).add(goodLines.get(r));
                } else {
                    values[r * d + col] = Float.parseFloat(cell);
                }
            }
        }
        Report report = new Report(List.copyOf(features), missing, firstMissing, List.copyOf(notes));
        String source = file.getFileName().toString();
        if (numericTarget) {
            float[] targets = numericTargets(file, labelColumn, rawLabels, goodLines);
            return new Result(Dataset.numeric(TensorShape.vector(d), values, targets, labelColumn, source), report);
        }
        List<String> classes = sortedClasses(rawLabels);
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) labels[r] = classes.indexOf(rawLabels[r]);
        return new Result(new Dataset(TensorShape.vector(d), values, labels, classes, source), report);
    }

    /** The target column as numbers; a cell that is not one stops the read, naming its line. */
    private static float[] numericTargets(Path file, String column, String[] cells, List<Integer> lines)
            throws DataFormatException {
        float[] targets = new float[cells.length];
        for (int r = 0; r < cells.length; r++) {
            try {
                targets[r] = Float.parseFloat(cells[r]);
            } catch (NumberFormatException e) {
                targets[r] = Float.NaN;
            }
            if (!Float.isFinite(targets[r])) {
                throw new DataFormatException(file, "line " + lines.get(r) + " has \"" + cells[r] + "\" in the target column \""
                        + column + "\", which the project reads as numbers to predict; write a number there, remove "
                        + "that line, or set the target to classes");
            }
        }
        return targets;
    }

    /** Numeric labels sort as numbers, others alphabetically. */
    private static List<String> sortedClasses(String[] labels) {
        boolean numeric = true;
        for (String l : labels) {
            try {
                Double.parseDouble(l);
            } catch (NumberFormatException e) {
                numeric = false;
                break;
            }
        }
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        TreeSet<String> set = new TreeSet<>(order);
        set.addAll(List.of(labels));
        return List.copyOf(set);
    }

    /** RFC 4180: commas inside quotes, doubled quotes, line breaks inside quotes. Blank lines are skipped. */
    /** The header row's column names, trimmed, as {@link #read} finds them, reading no data row (fast). */
    public static List<String> header(Path file) throws DataFormatException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            while (first != null && first.isBlank()) first = in.readLine(); // as the parser skips blank lines
            if (first == null) throw new DataFormatException(file, "is empty; it needs a header row and data rows");
            List<List<String>> rows = new ArrayList<>();
            parse(new BufferedReader(new StringReader(first)), file, rows, new ArrayList<>());
            return rows.get(0).stream().map(String::trim).toList();
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void parse(BufferedReader in, Path file, List<List<String>> rows, List<Integer> lineNumbers)
            throws IOException, DataFormatException {
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean rowHasContent = false;
        int line = 1;
        int rowStart = 1;
        int ch;
        while ((ch = in.read()) != -1) {
            char c = (char) ch;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        cell.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) in.reset();
                    }
                } else {
                    if (c == '\n') line++;
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                rowHasContent = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') in.reset();
                }
                if (rowHasContent || cell.length() > 0) {
                    row.add(cell.toString());
                    rows.add(row);
                    lineNumbers.add(rowStart);
                }
                row = new ArrayList<>();
                cell.setLength(0);
                rowHasContent = false;
                line++;
                rowStart = line;
            } else {
                cell.append(c);
                if (!Character.isWhitespace(c)) rowHasContent = true;
            }
        }
        if (quoted) throw new DataFormatException(file, "a quoted value that starts on line " + rowStart + " never ends; add the closing \"");
        if (rowHasContent || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
            lineNumbers.add(rowStart);
        }
    }
}
