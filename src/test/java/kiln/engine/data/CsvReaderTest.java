package kiln.engine.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    @TempDir
    Path dir;

    private Path csv(String content) throws Exception {
        return Files.writeString(dir.resolve("data.csv"), content);
    }

    @Test
    void readsFeaturesLabelsQuotesAndReportsHoles() throws Exception {
        Path f = csv("""
                age,"name, quoted",income,label
                31,1.5,,yes
                NA,2,3000,no

                45,"3",?,yes
                """);

        CsvReader.Result r = CsvReader.read(f, "label");

        assertEquals(List.of("no", "yes"), r.data().classNames());
        assertArrayEquals(new int[] {1, 0, 1}, r.data().labels());
        assertEquals("3", r.data().sampleShape().toString());
        assertEquals(31, r.data().features()[0], 0);
        assertEquals(1.5, r.data().features()[1], 1e-6);
        assertTrue(Float.isNaN(r.data().features()[2]));
        assertEquals(Map.of("age", 1, "name, quoted", 0, "income", 2), r.report().missingPerColumn());
        assertEquals(List.of(2, 5), r.report().firstMissingLines().get("income"), "line numbers count the blank line");
        assertEquals(3, r.report().totalMissing());
    }

    @Test
    void numericLabelsSortAsNumbers() throws Exception {
        CsvReader.Result r = CsvReader.read(csv("x,y\n1,10\n2,9\n3,10\n"), "y");
        assertEquals(List.of("9", "10"), r.data().classNames());
    }

    @Test
    void raggedRowsRowsWithoutLabelAndNameColumnsAreLeftOutAndNamed() throws Exception {
        CsvReader.Result r = CsvReader.read(csv("a,who,c,label\n1,ann,5,x\n3,x\n4,bo,6,\n7,cy,9,y\n8,di,1,y\n"), "label");
        assertEquals(List.of("a", "c"), r.report().featureColumns(), "a different name in every row: not categories");
        assertArrayEquals(new float[] {1, 5, 7, 9, 8, 1}, r.data().features());
        assertEquals(List.of("line 3 has 2 values but the header has 4 columns; it was left out (fix or remove that line)",
                "line 4 has no value in the label column \"label\"; it was left out (every row needs a label)",
                "column \"who\" holds text with 3 different values in 3 rows (such as \"ann\"): names or free text rather "
                        + "than categories, so it was left out"),
                r.report().leftOut());
        assertEquals(List.of(CsvReader.Kind.NUMERIC, CsvReader.Kind.IGNORED, CsvReader.Kind.NUMERIC, CsvReader.Kind.TARGET),
                r.report().columns().stream().map(CsvReader.Column::kind).toList());
        assertEquals("label", r.report().target());

        String noRows = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,label\n1,\n"), "label")).getMessage();
        assertTrue(noRows.contains("has no usable data rows: line 2 has no value in the label column"), noRows);

        String onlyText = assertThrows(DataFormatException.class,
                () -> CsvReader.read(csv("a,label\nx,y\nz,y\nw,y\n"), "label")).getMessage();
        assertTrue(onlyText.contains("has no numeric or categorical feature columns besides \"label\""), onlyText);

        String column = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,b\n1,2\n"), "label")).getMessage();
        assertTrue(column.contains("has no column \"label\"; its columns are [a, b]"), column);

        String open = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,label\n\"1,x\n"), "label")).getMessage();
        assertTrue(open.contains("starts on line 2 never ends"), open);
    }

    @Test
    void aMostlyTextColumnIsCategoricalAndEncodedWithTheTrainingSplitsCategories() throws Exception {
        CsvReader.Result r = CsvReader.read(csv("""
                size,colour,label
                1,red,a
                2,blue,b
                3,red,a
                4,green,b
                5,,a
                6,blue,b
                """), "label");
        CsvReader.Column colour = r.report().columns().get(1);
        assertEquals(CsvReader.Kind.CATEGORICAL, colour.kind());
        assertEquals(List.of("blue", "green", "red"), colour.values(), "every value in the file, sorted");
        assertEquals(Map.of("size", 0, "colour", 1), r.report().missingPerColumn());
        assertEquals(List.of(6), r.report().firstMissingLines().get("colour"));

        // training split: rows 1, 2, 3 and 5 (red, blue, red, missing); green only in the other splits
        Dataset train = r.data().select(new int[] {0, 1, 2, 4}, "train");
        CategoricalEncoding encoding = CategoricalEncoding.fit(train, r.report());
        assertEquals(List.of("size", "colour=blue", "colour=red", "colour=other"), encoding.report().featureColumns());
        assertEquals(List.of("blue", "red"), encoding.report().columns().get(1).values(), "the training split's categories");
        Dataset encoded = encoding.apply(r.data());
        assertEquals("4", encoded.sampleShape().toString());
        float nan = Float.NaN;
        assertArrayEquals(new float[] {
                1, 0, 1, 0,
                2, 1, 0, 0,
                3, 0, 1, 0,
                4, 0, 0, 1,       // green was not in the training split: other
                5, nan, nan, nan, // missing: every value of the column, for Fill missing or Drop rows
                6, 1, 0, 0}, encoded.features());
        assertArrayEquals(r.data().labels(), encoded.labels());
    }

    @Test
    void strayTextInANumberColumnCountsAsMissingNamedByLine() throws Exception {
        CsvReader.Result r = CsvReader.read(csv("x,label\n1,a\n2,b\nabc,a\n4,b\n5,a\nn/a,b\n"), "label");
        assertEquals(CsvReader.Kind.NUMERIC, r.report().columns().get(0).kind());
        assertEquals(List.of("x"), r.report().featureColumns());
        assertTrue(Float.isNaN(r.data().features()[2]) && Float.isNaN(r.data().features()[5]));
        assertEquals(4, r.data().features()[3], 0);
        assertEquals(Map.of("x", 2), r.report().missingPerColumn());
        assertEquals(List.of(4, 7), r.report().firstMissingLines().get("x"));
        assertEquals(List.of("column \"x\": 2 cells are not numbers (line 4 \"abc\", line 7 \"n/a\") and count as missing; "
                + "fix the file, or add Fill missing values or Drop rows with missing values to the pipeline"), r.report().leftOut());
    }

    @Test
    void aFewWordsInTheBreastCancerTableLeaveEveryColumnInPlace() throws Exception {
        // the case: "abc" in 10 of its 30 columns used to drop those columns without a word
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(
                BundledData.folder("breast-cancer").resolve(BundledData.BREAST_CANCER_FILE)));
        for (int c = 0; c < 10; c++) {
            int row = 5 + 40 * c;
            String[] cells = lines.get(row).split(",", -1);
            cells[3 * c] = "abc";
            lines.set(row, String.join(",", cells));
        }
        CsvReader.Result r = CsvReader.read(Files.write(dir.resolve("bc.csv"), lines), BundledData.BREAST_CANCER_LABEL);
        assertEquals(30, r.report().featureColumns().size());
        assertEquals(30, r.report().columns(CsvReader.Kind.NUMERIC).size());
        assertEquals(10, r.report().totalMissing());
        assertEquals(List.of(6), r.report().firstMissingLines().get(r.report().featureColumns().get(0)), "line 6: the 5th data row");
        assertEquals(10, r.report().leftOut().size(), "one line per column with a stray cell");
    }
}
