package kiln.engine.data;

import kiln.engine.model.TensorShape;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a CSV file with a header row: numeric feature columns and one label column. Missing cells
 * (empty, NA, NaN, ?) become NaN and are counted in the {@link Report}, for cleaning steps to handle.
 */
public final class CsvReader {

    private static final Set<String> MISSING = Set.of("", "na", "nan", "?", "null");

    /** What the reader found: per feature column, how many values are missing and on which lines (first few). */
    public record Report(List<String> featureColumns, Map<String, Integer> missingPerColumn,
                         Map<String, List<Integer>> firstMissingLines) {

        public int totalMissing() {
            return missingPerColumn.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public record Result(Dataset data, Report report) { }

    private CsvReader() { }

    public static Result read(Path file, String labelColumn) throws DataFormatException {
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
        List<String> features = new ArrayList<>(header);
        features.remove(labelIndex);
        int n = rows.size() - 1;
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
            List<String> row = rows.get(r + 1);
            int line = lineNumbers.get(r + 1);
            if (row.size() != header.size()) {
                throw new DataFormatException(file, "line " + line + " has " + row.size() + " values but the header has "
                        + header.size() + " columns; fix or remove that line");
            }
            String label = row.get(labelIndex).trim();
            if (MISSING.contains(label.toLowerCase(java.util.Locale.ROOT))) {
                throw new DataFormatException(file, "line " + line + " has no value in the label column \"" + labelColumn
                        + "\"; every row needs a label, so fix or remove that line");
            }
            rawLabels[r] = label;
            int col = 0;
            for (int c = 0; c < row.size(); c++) {
                if (c == labelIndex) continue;
                String cell = row.get(c).trim();
                String name = features.get(col);
                if (MISSING.contains(cell.toLowerCase(java.util.Locale.ROOT))) {
                    values[r * d + col] = Float.NaN;
                    missing.merge(name, 1, Integer::sum);
                    if (firstMissing.get(name).size() < 5) firstMissing.get(name).add(line);
                } else {
                    try {
                        values[r * d + col] = Float.parseFloat(cell);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, "line " + line + ", column \"" + name + "\": \"" + cell
                                + "\" is not a number; feature columns must be numeric");
                    }
                }
                col++;
            }
        }
        List<String> classes = sortedClasses(rawLabels);
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) labels[r] = classes.indexOf(rawLabels[r]);
        Dataset data = new Dataset(TensorShape.vector(d), values, labels, classes, file.getFileName().toString());
        return new Result(data, new Report(List.copyOf(features), missing, firstMissing));
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
    static void parse(BufferedReader in, Path file, List<List<String>> rows, List<Integer> lineNumbers)
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
