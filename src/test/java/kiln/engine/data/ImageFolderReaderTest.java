package kiln.engine.data;

import kiln.engine.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderReaderTest {

    @TempDir
    Path dir;

    private void png(Path file, int w, int h, int rgb, int type) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (type == BufferedImage.TYPE_BYTE_GRAY) img.getRaster().setSample(x, y, 0, rgb & 0xff); // the stored value
                else img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, file.toString().endsWith(".jpg") ? "jpg" : "png", file.toFile());
    }

    @Test
    void mixedSizesAndGreyImagesFollowTheStatedRule() throws Exception {
        png(dir.resolve("cats/a.png"), 8, 8, 0xFF0000, BufferedImage.TYPE_INT_RGB);   // red, right size
        png(dir.resolve("cats/b.png"), 20, 12, 0x00FF00, BufferedImage.TYPE_INT_RGB); // green, larger
        png(dir.resolve("dogs/c.png"), 4, 4, 0x808080, BufferedImage.TYPE_BYTE_GRAY); // grey, smaller
        Files.writeString(dir.resolve("dogs/notes.txt"), "not an image");

        Dataset colour = ImageFolderReader.read(dir, 8, 8, 3, Progress.NONE);

        assertEquals(List.of("cats", "dogs"), colour.classNames());
        assertEquals(3, colour.size());
        assertEquals(List.of(0, 0, 1), java.util.Arrays.stream(colour.labels()).boxed().toList());
        int per = 8 * 8 * 3;
        assertEquals(255, colour.features()[0], 0, "red plane of the red image");
        assertEquals(0, colour.features()[64], 0, "green plane of the red image");
        assertEquals(255, colour.features()[per + 64 + 9], 0, "green plane of the resized green image");
        float grey = colour.features()[2 * per + 5];
        assertEquals(grey, colour.features()[2 * per + 64 + 5], 0, "grey repeated into green");
        assertEquals(grey, colour.features()[2 * per + 128 + 5], 0, "grey repeated into blue");
        assertEquals(128, grey, 0, "a grey PNG's stored value, not brightened by colour management");

        Dataset mono = ImageFolderReader.read(dir, 8, 8, 1, Progress.NONE);
        assertEquals(0.299 * 255, mono.features()[0], 0.5, "red becomes its luma");
    }

    @Test
    void anUnreadableImageIsNamed() throws Exception {
        png(dir.resolve("a/ok.png"), 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/broken.png"), "this is not a PNG");

        String m = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir, 4, 4, 1, Progress.NONE)).getMessage();

        assertTrue(m.contains("broken.png") && m.contains("remove or replace it"), m);
    }

    @Test
    void leftOutModeSkipsBrokenImagesAndOtherFilesSaysWhyAndLoadsTheRest() throws Exception {
        png(dir.resolve("a/ok.png"), 4, 4, 0, BufferedImage.TYPE_INT_RGB);
        png(dir.resolve("b/ok.png"), 4, 4, 0xffffff, BufferedImage.TYPE_INT_RGB);
        Files.writeString(dir.resolve("b/broken.png"), "this is not a PNG");
        Files.createFile(dir.resolve("b/empty.jpg"));
        Files.writeString(dir.resolve("b/notes.txt"), "not an image at all");
        Files.writeString(dir.resolve("b/.DS_Store"), "a file browser's, no one's data");
        Files.writeString(dir.resolve("README.txt"), "about the data");
        java.util.List<String> leftOut = new java.util.ArrayList<>();

        Dataset d = ImageFolderReader.read(dir, 4, 4, 1, Progress.NONE, leftOut);

        assertEquals(2, d.size());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertEquals(255, d.features()[16], 0.5, "the second kept image is the white one");
        String b = "b" + java.io.File.separator;
        assertEquals(java.util.List.of(
                "README.txt is not inside a class folder; it was skipped (move it into the folder of its class)",
                b + "notes.txt is not a PNG or JPEG file; it was skipped",
                b + "broken.png cannot be read as an image (not a complete PNG or JPEG); it was left out (remove or replace it)",
                b + "empty.jpg cannot be read as an image (the file is empty); it was left out (remove or replace it)"), leftOut);
    }

    @Test
    void foldersWithoutClassesOrImagesAreExplained() throws Exception {
        String none = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir, 4, 4, 1, Progress.NONE)).getMessage();
        assertTrue(none.contains("has no sub-folders"), none);

        Files.createDirectories(dir.resolve("empty"));
        String empty = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir, 4, 4, 1, Progress.NONE)).getMessage();
        assertTrue(empty.contains("empty: holds no PNG or JPEG images"), empty);
    }
}
