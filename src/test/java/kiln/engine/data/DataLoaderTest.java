package kiln.engine.data;

import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theBundledBreastCancerTableLoadsWithItsClassNamesAndStratifiedSplits() throws Exception {
        DataSplits s = DataLoader.load(new DataSourceSpec.Bundled("breast-cancer"), dir,
                new SplitSettings(0.15, 0.2, 42, true), Progress.NONE);

        assertEquals(List.of("benign", "malignant"), s.train().classNames(), "text labels become classes, sorted");
        assertEquals(BundledData.classNames("breast-cancer"), s.train().classNames());
        assertEquals(30, s.train().sampleLength());
        assertEquals(569, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(113, s.test().size());
        int[] test = s.test().classCounts();
        assertEquals(0.37, test[1] / (double) s.test().size(), 0.02, "212 of 569 are malignant; stratified keeps that share");
        float[] first = Arrays.copyOf(s.train().features(), 30);
        for (float v : first) assertFalse(Float.isNaN(v));
    }

    @Test
    void theFirstRowIsTheFirstLineOfTheFile() throws Exception {
        DataSourceSpec.Csv csv = (DataSourceSpec.Csv) BundledData.files("breast-cancer");
        Dataset all = CsvReader.read(Path.of(csv.file()), csv.labelColumn()).data();

        assertEquals(569, all.size());
        assertEquals(17.99f, all.features()[0]);     // mean radius of the first aspirate
        assertEquals(0.1189f, all.features()[29]);   // worst fractal dimension
        assertEquals("malignant", all.classNames().get(all.labels()[0]));
        assertEquals(357, all.classCounts()[0]);
        assertEquals(212, all.classCounts()[1]);
    }

    @Test
    void aPathStartingWithTildeIsUnderTheHomeFolder() throws Exception {
        Path home = Path.of(System.getProperty("user.home"));

        assertEquals(home.resolve("Kiln/datasets/cifar-10-batches-bin"),
                DataLoader.resolve(dir, "~/Kiln/datasets/cifar-10-batches-bin"));
        assertEquals(Cifar10Download.standardFolder(), DataLoader.resolve(dir, Cifar10Download.STANDARD_LOCATION));
        assertThrows(DataFormatException.class, () -> DataLoader.resolve(dir, "../elsewhere"));
    }

    @Test
    void availabilityTellsPresentDataFromAMissingCifarFolder() throws Exception {
        DataAvailability bundled = DataAvailability.of(new DataSourceSpec.Bundled("mnist"), dir);
        assertTrue(bundled.present() && !bundled.downloadable(), bundled.problem());

        Path empty = Files.createDirectories(dir.resolve("cifar"));
        DataAvailability cifar = DataAvailability.of(new DataSourceSpec.Cifar10(empty.toString()), dir);
        assertFalse(cifar.present());
        assertTrue(cifar.downloadable());
        assertEquals(empty, cifar.folder());
        assertTrue(cifar.problem().contains("data_batch_1.bin is missing"), cifar.problem());

        DataAvailability csv = DataAvailability.of(new DataSourceSpec.Csv("table.csv", "label"), dir);
        assertFalse(csv.present() || csv.downloadable());
        assertTrue(csv.problem().endsWith("table.csv is missing"), csv.problem());

        var e = assertThrows(DataFormatException.class, () -> DataLoader.load(new DataSourceSpec.Cifar10(empty.toString()),
                dir, SplitSettings.defaults(), Progress.NONE));
        assertInstanceOf(Cifar10MissingException.class, e);
    }
}
