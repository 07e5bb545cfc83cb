package kiln.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kiln.engine.eval.TrainedProjects;
import kiln.engine.eval.TrainedSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** activations, explain and lr-find on briefly trained samples, and their one-line refusals. */
class LookInsideCommandTest {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final TrainedSample cnn = new TrainedSample("mnist-cnn", 600);
    @RegisterExtension
    static final TrainedSample tabular = new TrainedSample("tabular-binary", 0);
    static Path digit;

    @BeforeAll
    static void drawDigit() throws Exception {
        float[] pixels = TrainedProjects.rawSample(cnn.project(), cnn.folder(), 0);
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) img.getRaster().setSample(i % 28, i / 28, 0, (int) pixels[i]);
        digit = dir.resolve("digit.png");
        ImageIO.write(img, "png", digit.toFile());
    }

    @Test
    void activationsWritesAPicturePerLayerAndASummaryThatMatchesThem() throws Exception {
        Path out = dir.resolve("act");
        CliRun r = kiln("activations", cnn.folder().toString(), digit.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("activations.json").toFile());
        JsonNode layers = summary.get("layers");
        assertEquals(9, layers.size(), summary.toPrettyString());
        JsonNode conv1 = layers.get(1);
        assertEquals("conv1", conv1.get("layer").asText());
        assertEquals("[26,26,32]", conv1.get("shape").toString());
        // conv1 ends in ReLU: no negative values, and some zeros.
        assertTrue(conv1.get("min").asDouble() >= 0, conv1.toString());
        assertTrue(conv1.get("zeroShare").asDouble() > 0, conv1.toString());
        assertEquals(1.0, layers.get(8).get("mean").asDouble() * 10, 1e-4, "the output's probabilities sum to 1");
        for (JsonNode l : layers) {
            BufferedImage picture = ImageIO.read(out.resolve(l.get("picture").asText()).toFile());
            assertTrue(picture.getWidth() > 0, l.toString());
        }
        // 32 channels of 26×26, enlarged twice, in a 6×6 grid with 1-pixel gaps.
        assertEquals(6 * 52 + 5, ImageIO.read(out.resolve(conv1.get("picture").asText()).toFile()).getWidth());
        assertTrue(r.out().contains("conv1") && r.out().contains("zeros"), r.out());

        Path untrained = dir.resolve("act-untrained");
        assertEquals(0, kiln("activations", cnn.folder().toString(), digit.toString(), "--untrained", "--out", untrained.toString()).code());
        JsonNode before = new ObjectMapper().readTree(untrained.resolve("activations.json").toFile());
        assertTrue(before.get("weights").asText().startsWith("untrained"), before.toString());
        assertEquals(layers.get(0).toString(), before.get("layers").get(0).toString(), "the same input");
        assertNotEquals(conv1.get("mean"), before.get("layers").get(1).get("mean"), "other weights, other outputs");
    }

    @Test
    void activationsOfAnEpochUseTheWeightsTheRunKeptThen() throws Exception {
        Path out = dir.resolve("act-epoch");
        CliRun r = kiln("activations", cnn.folder().toString(), digit.toString(), "--epoch", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode epoch = new ObjectMapper().readTree(out.resolve("activations.json").toFile());
        assertTrue(epoch.get("weights").asText().endsWith(", epoch 1"), epoch.toString());
        Path best = dir.resolve("act-best");
        assertEquals(0, kiln("activations", cnn.folder().toString(), digit.toString(), "--out", best.toString()).code());
        JsonNode bestJson = new ObjectMapper().readTree(best.resolve("activations.json").toFile());
        assertEquals(bestJson.get("layers").toString(), epoch.get("layers").toString(), "one epoch: it is the best one");

        CliRun missing = kiln("activations", cnn.folder().toString(), digit.toString(), "--epoch", "4", "--out", dir.resolve("e4").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("kept no weights of epoch 4; it kept epoch 1."), missing.err());
        CliRun both = kiln("activations", cnn.folder().toString(), digit.toString(), "--epoch", "1", "--untrained", "--out", dir.resolve("e5").toString());
        assertTrue(both.err().contains("--untrained and --epoch exclude each other"), both.err());
    }

    @Test
    void explainWritesAGradCamOverlayAndPrintsTheProbabilities() throws Exception {
        Path png = dir.resolve("cam.png");
        CliRun r = kiln("explain", cnn.folder().toString(), digit.toString(), "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Grad-CAM at conv3 (3×3)"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(224, img.getWidth());
        CliRun saliency = kiln("explain", cnn.folder().toString(), digit.toString(), "--method", "saliency", "--class", "3",
                "--out", dir.resolve("saliency.png").toString());
        assertEquals(0, saliency.code(), saliency.err());
        assertTrue(saliency.out().contains("saliency (the input's gradient) for class 3"), saliency.out());
        CliRun atPool = kiln("explain", cnn.folder().toString(), digit.toString(), "--layer", "pool1", "--out", dir.resolve("p.png").toString());
        assertTrue(atPool.out().contains("Grad-CAM at pool1 (13×13)"), atPool.out() + atPool.err());
    }

    @Test
    void explainGivesEachFeaturesShareForARowOfNumbers() throws Exception {
        CliRun r = kiln("explain", tabular.folder().toString(), firstRow());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gradient × input, largest first"), r.out());
        assertEquals(10, r.out().lines().filter(l -> l.startsWith("  feature")).count(), r.out());
    }

    @Test
    void badRequestsAreRefusedInOneLine() {
        CliRun wrongClass = kiln("explain", cnn.folder().toString(), digit.toString(), "--class", "cat", "--out", dir.resolve("x.png").toString());
        assertEquals(1, wrongClass.code());
        assertTrue(wrongClass.err().contains("--class is 'cat'; classes: 0, 1"), wrongClass.err());
        CliRun noLayer = kiln("explain", cnn.folder().toString(), digit.toString(), "--layer", "dense1", "--out", dir.resolve("x.png").toString());
        assertTrue(noLayer.err().contains("Grad-CAM cannot look at dense1; layers of feature maps: conv1, pool1, conv2, pool2, conv3"),
                noLayer.err());
        CliRun noOut = kiln("explain", cnn.folder().toString(), digit.toString());
        assertTrue(noOut.err().contains("give --out heatmap.png"), noOut.err());
        CliRun missing = kiln("activations", cnn.folder().toString(), dir.resolve("nope.png").toString(), "--out", dir.resolve("y").toString());
        assertTrue(missing.err().contains("there is no file"), missing.err());
        assertFalse(Files.exists(dir.resolve("y")), "nothing written");
        CliRun both = kiln("activations", cnn.folder().toString(), digit.toString(), "--untrained", "--run", "run-1", "--out", dir.resolve("z").toString());
        assertTrue(both.err().contains("--untrained and --run exclude each other"), both.err());
        CliRun tooFewSteps = kiln("lr-find", tabular.folder().toString(), "--steps", "5");
        assertTrue(tooFewSteps.err().contains("at least 20 batches"), tooFewSteps.err());
    }

    @Test
    void excitePrintsAUnitsTopSamplesAndWritesThemSideBySide() throws Exception {
        Path png = dir.resolve("excite.png");
        CliRun r = kiln("excite", cnn.folder().toString(), "--layer", "conv2", "--unit", "7", "--top", "10", "--limit", "300",
                "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("conv2 unit 7 (max over 11×11 positions): the top 10 of the first 300 training samples"), r.out());
        java.util.List<String> rows = r.out().lines().filter(l -> l.matches(" *\\d+\\.  sample .*")).toList();
        assertEquals(10, rows.size(), r.out());
        double previous = Double.POSITIVE_INFINITY;
        for (String row : rows) {
            String[] cells = row.trim().split(" +");
            int sample = Integer.parseInt(cells[2]);
            assertTrue(sample >= 0 && sample < 300, row);
            double value = Double.parseDouble(cells[4]);
            assertTrue(value <= previous, "highest first: " + r.out());
            previous = value;
        }
        // 10 MNIST digits enlarged twice, 8 to a row with 1-pixel gaps.
        BufferedImage grid = ImageIO.read(png.toFile());
        assertEquals(8 * 56 + 7, grid.getWidth());
        assertEquals(2 * 56 + 1, grid.getHeight());

        CliRun table = kiln("excite", tabular.folder().toString(), "--layer", "dense1", "--unit", "0", "--top", "3");
        assertEquals(0, table.code(), table.err());
        assertEquals(3, table.out().lines().filter(l -> l.contains("sample") && l.contains("[")).count(), table.out());
        CliRun noUnit = kiln("excite", cnn.folder().toString(), "--layer", "conv2", "--unit", "64");
        assertEquals(1, noUnit.code());
        assertTrue(noUnit.err().contains("conv2 has 64 units"), noUnit.err());
        CliRun outForRows = kiln("excite", tabular.folder().toString(), "--layer", "dense1", "--unit", "0", "--out", dir.resolve("t.png").toString());
        assertTrue(outForRows.err().contains("--out writes pictures"), outForRows.err());
    }

    @Test
    void lrFindPrintsTheCurveAndASuggestion() {
        CliRun r = kiln("lr-find", tabular.folder().toString(), "--steps", "60");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\n +1\\.000e-07 .*"), "the curve starts at 1e-7:\n" + r.out());
        assertTrue(r.out().matches("(?s).*suggested learning rate: \\d.*"), r.out());
    }

    /** The first data row of the breast-cancer CSV, without its label: 30 numbers. */
    private static String firstRow() throws Exception {
        Path csv = kiln.engine.data.BundledData.sampleProjectsFolder().orElseThrow()
                .resolve("datasets").resolve("breast-cancer").resolve("breast-cancer.csv");
        String line = Files.readAllLines(csv).get(1);
        String[] cells = line.split(",");
        return java.util.Arrays.stream(cells, 0, 30).collect(Collectors.joining(","));
    }
}
