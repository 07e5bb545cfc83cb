package kiln.engine.cli;

import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.FillMissingStep;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StandardizeStep;
import kiln.engine.model.Graphs;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln data and kiln train on a CSV with a categorical column and stray cells, and on an image folder with files it skips. */
class DataReportCommandTest {

    @TempDir
    Path dir;

    /**
     * 160 shoppers: the basket (numbers) and the shop's colour, which decides the label with the basket; a customer
     * id that is different in every row; two cells of "abc" in the basket column.
     */
    private Path shoppers(List<PipelineStep> steps, int inputSize) throws Exception {
        Random random = new Random(3);
        String[] colours = {"red", "green", "blue"};
        List<String> lines = new ArrayList<>(List.of("basket,colour,customer,label"));
        for (int i = 0; i < 160; i++) {
            String colour = colours[random.nextInt(3)];
            double basket = random.nextGaussian();
            boolean buys = colour.equals("red") ? basket > -0.8 : basket > 0.8;
            lines.add((i == 11 || i == 40 ? "abc" : String.format(java.util.Locale.ROOT, "%.3f", basket)) + ","
                    + colour + ",c" + (1000 + i) + "," + (buys ? "buys" : "browses"));
        }
        Path folder = Files.createDirectories(dir.resolve("shop"));
        Files.write(folder.resolve("shop.csv"), lines);
        Project p = new Project("Shop", Graphs.start()
                .then("input", "input", Map.of("kind", "vector", "size", inputSize))
                .then("dense1", "dense", Map.of("units", 8))
                .then("output", "output", Map.of("units", 2)).build(),
                new DataSourceSpec.Csv("shop.csv", "label"), new Pipeline(steps), SplitSettings.defaults(),
                TrainingSettings.defaults().withEpochs(3).withLearningRate(0.01));
        ProjectIO.save(p, folder);
        return folder;
    }

    @Test
    void dataSaysHowEveryColumnIsReadAndWhatWasLeftOut() throws Exception {
        Path folder = shoppers(List.of(), 5);
        CliRun r = kiln("data", folder.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("columns: 1 numeric (basket)\n"), r.out());
        assertTrue(r.out().matches("(?s).*\n  categorical colour: 3 categories from the training split \\(blue, green, red\\), "
                + "unseen ones as other\n.*"), r.out());
        assertTrue(r.out().contains("\n  ignored customer\n"), r.out());
        assertTrue(r.out().contains("\n  target label; 5 values per sample go to the network\n"), "basket, 3 colours and other: "
                + r.out());
        assertTrue(r.out().contains("missing values: 2 (add Fill missing values or Drop rows with missing values to the pipeline)\n"
                + "  basket: 2, on lines 13, 42\n"), r.out());
        assertTrue(r.out().contains("Left out while reading (2):\n"), r.out());
        assertTrue(r.out().contains("\n  - column \"customer\" holds text with 160 different values in 160 rows"), r.out());
        assertTrue(r.out().contains("  - column \"basket\": 2 cells are not numbers (line 13 \"abc\", line 42 \"abc\")"), r.out());
    }

    @Test
    void aCsvWithACategoricalColumnTrainsOnceItsMissingCellsAreFilled() throws Exception {
        CliRun refused = kiln("train", shoppers(List.of(), 5).toString());
        assertEquals(1, refused.code());
        assertTrue(refused.out().contains("Left out while reading (2):"), "printed before the refusal: " + refused.out());
        assertTrue(refused.err().startsWith("kiln: The data has "), refused.err());
        assertTrue(refused.err().contains("add the cleaning step Fill missing values or Drop rows with missing values to the "
                + "data pipeline"), refused.err());

        Path folder = shoppers(List.of(new PipelineStep(FillMissingStep.ID, true, Map.of()),
                new PipelineStep(StandardizeStep.ID, true, Map.of())), 5);
        CliRun trained = kiln("train", folder.toString());
        assertEquals(0, trained.code(), trained.err() + trained.out());
        assertTrue(trained.out().contains("samples of 5, 2 classes"), trained.out());
        assertTrue(trained.out().contains("  - column \"customer\" holds text"), trained.out());
        double accuracy = Double.parseDouble(trained.out().replaceAll("(?s).*test accuracy: ([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.6, "the colour and the basket decide the label: " + accuracy);
    }

    @Test
    void dataAndTrainNameTheFilesAnImageFolderSkips() throws Exception {
        Path images = dir.resolve("pictures");
        for (String cls : List.of("cats", "dogs")) {
            Files.createDirectories(images.resolve(cls));
            for (int i = 0; i < 6; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i, cls.equals("cats") ? 1 : 6, 0, 255);
                ImageIO.write(img, "png", images.resolve(cls + "/" + i + ".png").toFile());
            }
        }
        Files.writeString(images.resolve("cats/broken.png"), "not a PNG");
        Files.createFile(images.resolve("dogs/empty.jpg"));
        Files.writeString(images.resolve("dogs/notes.txt"), "who took these");
        Path folder = Files.createDirectories(dir.resolve("pets"));
        Project p = new Project("Pets", Graphs.start()
                .then("input", "input", Map.of("kind", "image", "height", 8, "width", 8, "channels", 1))
                .then("flat", "flatten", Map.of())
                .then("output", "output", Map.of("units", 2)).build(),
                new DataSourceSpec.ImageFolder(images.toString(), 8, 8, 1), new Pipeline(List.of()),
                new SplitSettings(0.2, 0.2, 1, true), TrainingSettings.defaults().withEpochs(1));
        ProjectIO.save(p, folder);
        List<String> expected = List.of(
                "  - cats" + File.separator + "broken.png cannot be read as an image (not a complete PNG or JPEG); it was left out (remove or replace it)",
                "  - dogs" + File.separator + "notes.txt is not a PNG or JPEG file; it was skipped",
                "  - dogs" + File.separator + "empty.jpg cannot be read as an image (the file is empty); it was left out (remove or replace it)");
        for (String command : List.of("data", "train")) {
            CliRun r = kiln(command, folder.toString());
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            int at = lines.indexOf("Left out while reading (3):");
            assertTrue(at >= 0, command + ": " + r.out());
            assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(lines.subList(at + 1, at + 4)), command);
        }
    }
}
