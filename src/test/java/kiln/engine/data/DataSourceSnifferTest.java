package kiln.engine.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataSourceSnifferTest {

    @TempDir
    Path dir;

    @Test
    void droppedFilesAndFoldersBecomeTheRightSource() throws Exception {
        Path csv = Files.writeString(dir.resolve("drop.csv"), "x,y,kind\n1,2,a\n");
        Path cifar = Files.createDirectories(dir.resolve("cifar"));
        Files.write(cifar.resolve("data_batch_1.bin"), new byte[0]);
        Path images = Files.createDirectories(dir.resolve("shapes/circle"));
        ImageIO.write(new BufferedImage(20, 12, BufferedImage.TYPE_BYTE_GRAY), "png", images.resolve("c1.png").toFile());

        assertEquals(Optional.of(new DataSourceSpec.Csv(csv.toAbsolutePath().toString(), "kind")), DataSourceSniffer.sniff(csv),
                "the last column is the label");
        assertEquals(Optional.of(new DataSourceSpec.Cifar10(cifar.toAbsolutePath().toString())), DataSourceSniffer.sniff(cifar));
        assertEquals(Optional.of(new DataSourceSpec.ImageFolder(images.getParent().toAbsolutePath().toString(), 12, 20, 1)),
                DataSourceSniffer.sniff(images.getParent()), "size and colour of the first image");
        assertEquals(Optional.empty(), DataSourceSniffer.sniff(dir.resolve("drop.txt")));
    }

    @Test
    void theLabelIsTheLastColumnAsTheCsvReaderParsesTheHeader() throws Exception {
        Path csv = Files.writeString(dir.resolve("quoted.csv"), "\n\"size, cm\",\"kind\" \n1,a\n");
        assertEquals("kind", DataSourceSniffer.csv(csv).labelColumn(), "quotes and a comma inside a name");
        assertEquals(List.of("size, cm"), CsvReader.read(csv, "kind").report().featureColumns(),
                "the reader loads with that label");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "\n");
        assertThrows(DataFormatException.class, () -> DataSourceSniffer.csv(empty));
    }
}
