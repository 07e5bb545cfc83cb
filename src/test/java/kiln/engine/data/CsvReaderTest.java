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
    void raggedRowsRowsWithoutLabelAndTextColumnsAreLeftOutAndNamed() throws Exception {
        CsvReader.Result r = CsvReader.read(csv("a,b,c,label\n1,two,5,x\n3,x\n4,4,6,\n7,8,9,y\n"), "label");
        assertEquals(List.of("a", "c"), r.report().featureColumns(), "the text column b is left out");
        assertArrayEquals(new float[] {1, 5, 7, 9}, r.data().features());
        assertEquals(List.of("line 3 has 2 values but the header has 4 columns; it was left out (fix or remove that line)",
                "line 4 has no value in the label column \"label\"; it was left out (every row needs a label)",
                "column \"b\" holds text (\"two\" on line 2); it was left out, as feature columns must be numeric"),
                r.report().leftOut());

        String noRows = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,label\n1,\n"), "label")).getMessage();
        assertTrue(noRows.contains("has no usable data rows: line 2 has no value in the label column"), noRows);

        String onlyText = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,label\nx,y\n"), "label")).getMessage();
        assertTrue(onlyText.contains("has no numeric feature columns besides \"label\""), onlyText);

        String column = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,b\n1,2\n"), "label")).getMessage();
        assertTrue(column.contains("has no column \"label\"; its columns are [a, b]"), column);

        String open = assertThrows(DataFormatException.class, () -> CsvReader.read(csv("a,label\n\"1,x\n"), "label")).getMessage();
        assertTrue(open.contains("starts on line 2 never ends"), open);
    }
}
