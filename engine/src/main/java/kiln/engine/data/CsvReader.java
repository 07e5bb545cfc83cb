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
 * Reads a CSV file with a header row: feature columns and one label column. A column whose values are mostly
 * numbers is numeric; its missing cells (empty, NA, NaN, ?) and its few cells that are not numbers become NaN and
 * are counted in the {@link Report}, for cleaning steps to handle. A column whose values are mostly text is
 * categorical: each cell is read as the index of its value among the column's values, and
 * {@link CategoricalEncoding} turns it into one-hot values once the training split is known. Text columns with
 * too many different values to be categories (names, identifiers), rows with the wrong number of values and rows
 * without a label are left out and named in the report, so the rest of the file still loads.
 */
public final class CsvReader {

    private static final Set<String> MISSING = Set.of("", "na", "nan", "?", "null");
    /** A text column with more different values than this is not categorical (names, identifiers, free text). */
    public static final int MAX_CATEGORIES = 50;
    /** Stray cells named per column, at most. */
    private static final int NAMED = 5;

    /** How a column of the file is used. */
    public enum Kind { NUMERIC, CATEGORICAL, IGNORED, TARGET }

    /**
     * One column of the file as the reader uses it.
     * @param values for a categorical column its values: every value in the file as {@link #read} gives it, the
     *               training split's after {@link CategoricalEncoding} (unseen ones go to an "other" slot); else empty
     * @param note   why an ignored column was left out, or what was odd in a numeric one (cells that are not
     *               numbers); null when there is nothing to say
     */
    public record Column(String name, Kind kind, List<String> values, String note) {
        public Column {
            values = List.copyOf(values);
        }
    }

    /**
     * What the reader found: the network's input values by name ({@code featureColumns}; one per numeric or
     * categorical column from {@link #read}, one per category and "other" after {@link CategoricalEncoding}), per
     * source column how many values are missing and on which lines (first few), every column of the file with how
     * it is used, the target (label) column, and what was left out (ragged rows, rows without a label, text
     * columns that are not categories, cells that are not numbers), in plain words.
     */
    public record Report(List<String> featureColumns, Map<String, Integer> missingPerColumn,
                         Map<String, List<Integer>> firstMissingLines, List<String> leftOut, List<Column> columns,
                         String target) {

        public int totalMissing() {
            return missingPerColumn.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** The columns of one kind, in file order. */
        public List<Column> columns(Kind kind) {
            return columns.stream().filter(c -> c.kind() == kind).toList();
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
            } else if (missing(row.get(labelIndex))) {
                notes.add("line " + line + " has no value in the label column \"" + labelColumn
                        + "\"; it was left out (every row needs a label)");
            } else {
                good.add(row);
                goodLines.add(line);
            }
        }
        if (good.isEmpty()) {
            throw new DataFormatException(file, "has no usable data rows: " + String.join("; ", notes));
        }
        List<Column> columns = new ArrayList<>();
        List<Integer> featureIndex = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == labelIndex) {
                columns.add(new Column(header.get(c), Kind.TARGET, List.of(), null));
                continue;
            }
            Column column = classify(header.get(c), c, good, goodLines);
            columns.add(column);
            if (column.kind() == Kind.IGNORED) {
                notes.add("column \"" + column.name() + "\" " + column.note());
            } else {
                featureIndex.add(c);
                if (column.note() != null) notes.add("column \"" + column.name() + "\": " + column.note());
            }
        }
        if (featureIndex.isEmpty()) {
            throw new DataFormatException(file, "has no numeric or categorical feature columns besides \"" + labelColumn + "\""
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
                Column column = columns.get(featureIndex.get(col));
                String cell = row.get(featureIndex.get(col)).trim();
                float v = missing(cell) ? Float.NaN
                        : column.kind() == Kind.CATEGORICAL ? column.values().indexOf(cell) : number(cell);
                values[r * d + col] = v;
                if (Float.isNaN(v)) {
                    missing.merge(column.name(), 1, Integer::sum);
                    if (firstMissing.get(column.name()).size() < NAMED) firstMissing.get(column.name()).add(goodLines.get(r));
                }
            }
        }
        Report report = new Report(List.copyOf(features), missing, firstMissing, List.copyOf(notes),
                List.copyOf(columns), labelColumn);
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

    /**
     * Numeric when at least half of the filled cells are numbers (the others then count as missing, named by line);
     * categorical when mostly text with few enough different values; else ignored, with the reason.
     */
    private static Column classify(String name, int c, List<List<String>> rows, List<Integer> lines) {
        int filled = 0;
        int numbers = 0;
        TreeSet<String> texts = new TreeSet<>();
        List<String> stray = new ArrayList<>();
        int strayCount = 0;
        for (int r = 0; r < rows.size(); r++) {
            String cell = rows.get(r).get(c).trim();
            if (missing(cell)) continue;
            filled++;
            if (!Float.isNaN(number(cell))) {
                numbers++;
            } else {
                texts.add(cell);
                if (stray.size() < NAMED) stray.add("line " + lines.get(r) + " \"" + cell + "\"");
                strayCount++;
            }
        }
        if (2 * numbers >= filled) {
            if (strayCount == 0) return new Column(name, Kind.NUMERIC, List.of(), null);
            return new Column(name, Kind.NUMERIC, List.of(), (strayCount == 1 ? "1 cell is not a number (" : strayCount
                    + " cells are not numbers (") + String.join(", ", stray) + (strayCount > stray.size() ? ", …" : "")
                    + (strayCount == 1 ? ") and counts" : ") and count") + " as missing; fix the file, or add Fill missing "
                    + "values or Drop rows with missing values to the pipeline");
        }
        // a different value in every row is a name or an identifier, not a category
        if (texts.size() > MAX_CATEGORIES || texts.size() > 2 && texts.size() == filled) {
            return new Column(name, Kind.IGNORED, List.of(), "holds text with " + texts.size() + " different values in "
                    + filled + " rows (such as \"" + texts.first() + "\"): names or free text rather than categories, "
                    + "so it was left out");
        }
        // a column of text with a few numbers among them: the numbers are categories too
        TreeSet<String> values = new TreeSet<>(texts);
        for (List<String> row : rows) if (!missing(row.get(c).trim())) values.add(row.get(c).trim());
        return new Column(name, Kind.CATEGORICAL, List.copyOf(values), null);
    }

    private static boolean missing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /** The cell as a number, or NaN when it is not one. */
    private static float number(String cell) {
        try {
            return Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
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
