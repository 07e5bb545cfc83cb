package kiln.app.data;

import kiln.engine.data.CategoricalEncoding;
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
    void everyColumnIsListedWithHowItIsUsed(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "a,b,colour,label\n1,,red,x\n5,2,blue,y\n-3,NA,red,x\n");
        CsvReader.Result read = CsvReader.read(csv, "label");
        Dataset all = read.data();
        Dataset train = all.select(new int[] {0}, "train");
        CategoricalEncoding encoding = CategoricalEncoding.fit(train, read.report());
        DataSplits splits = new DataSplits(encoding.apply(train), encoding.apply(all.select(new int[] {1}, "validation")),
                encoding.apply(all.select(new int[] {2}, "test")));
        assertEquals(List.of(new OverviewPane.ColumnInfo("a", "number", "0", "-3 … 5"),
                        new OverviewPane.ColumnInfo("b", "number", "2", "2 … 2"),
                        new OverviewPane.ColumnInfo("colour", "category", "0", "1: red + other"),
                        new OverviewPane.ColumnInfo("label", "target", "—", "2 classes: x, y")),
                OverviewPane.columnInfos(splits, encoding.report()));
    }
}
