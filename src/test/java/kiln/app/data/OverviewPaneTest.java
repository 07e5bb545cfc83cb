package kiln.app.data;

import kiln.engine.data.CsvReader;
import kiln.engine.data.DataSplits;
import kiln.engine.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OverviewPaneTest {

    @Test
    void aColumnsRangeSpansEverySplitAndItsMissingValuesAreCounted(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "a,b,label\n1,,x\n5,2,y\n-3,NA,x\n");
        CsvReader.Result read = CsvReader.read(csv, "label");
        Dataset all = read.data();
        DataSplits splits = new DataSplits(all.select(new int[] {0}, "train"), all.select(new int[] {1}, "validation"),
                all.select(new int[] {2}, "test"));
        assertEquals(List.of(new OverviewPane.ColumnInfo("a", "number", 0, "-3 … 5"),
                        new OverviewPane.ColumnInfo("b", "number", 2, "2 … 2")),
                OverviewPane.columnInfos(splits, read.report()));
    }
}
