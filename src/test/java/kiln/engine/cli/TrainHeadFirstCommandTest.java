package kiln.engine.cli;

import kiln.engine.project.SampleCopies;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kiln train --head-epochs/--fine-tune-rate-factor and --set on the transfer sample: phase lines, refusals. */
class TrainHeadFirstCommandTest {

    @TempDir
    Path dir;

    @Test
    void theRecipeAndALayerSettingForOneRunPrintTheirPhasesAndLeaveTheProjectFileAlone() throws Exception {
        Path folder = SampleCopies.copy("transfer-mnist-to-fashion", dir.resolve("t"));
        String projectJson = Files.readString(folder.resolve("project.json"));
        CliRun r = kiln("train", folder.toString(), "--epochs", "2", "--limit-train", "64", "--head-epochs", "1",
                "--fine-tune-rate-factor", "0.25", "--set", "dense2.loraRank=4");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("Head first (epoch 1): only dense2, fashion_output train; conv1, conv2, dense1 stay frozen."),
                r.out());
        assertTrue(lines.contains("Fine-tuning from epoch 2: every trainable layer trains, at the learning rate × 0.25."),
                r.out());
        RunRecord record = RunFolder.open(folder.resolve("runs/run-1")).readRecord();
        assertEquals(1, record.settings().headEpochs());
        assertEquals(0.25, record.settings().fineTuneRateFactor());
        assertEquals(projectJson, Files.readString(folder.resolve("project.json")));
    }

    @Test
    void badValuesAreOneLineNamingTheOptionAndNoRunIsMade() throws Exception {
        Path folder = SampleCopies.copy("transfer-mnist-to-fashion", dir.resolve("bad"));
        String[][] cases = {
                {"--head-epochs", "-1"},
                {"--head-epochs", "2", "--fine-tune-rate-factor", "3"},
                {"--set", "dense9.loraRank=4"},
                {"--set", "dense1.loraRank=500"},
                {"--set", "dense1.filters=3"},
                {"--set", "conv1.trainable=maybe"},
                {"--set", "loraRank"},
                {"--head-epochs", "1", "--set", "*.weightsFrom="},
        };
        String[] expected = {
                "kiln: Head-first epochs is -1; use 0 (off) to 10000.",
                "kiln: Fine-tune rate factor is 3.0; use a value above 0 and at most 1 (0.1 is usual).",
                "kiln: --set dense9.loraRank=4: the network has no layer 'dense9'; its layers are input, conv1, pool1, "
                        + "conv2, pool2, flatten, dense1, dense2, fashion_output.",
                "kiln: dense1 (Dense): LoRA rank 500 is larger than the layer (800 inputs, 120 units); use a rank of at most 120",
                "kiln: --set dense1.filters=3: dense1 (Dense) has no setting 'filters'; use trainable, "
                        + "learningRateMultiplier, weightsFrom or one of its parameters: ",
                "kiln: --set conv1.trainable=maybe: 'maybe' is not true or false.",
                "kiln: --set loraRank: write LAYER.KEY=VALUE, e.g. --set dense1.loraRank=8 or --set conv1.trainable=false.",
                "kiln: Head-first epochs is 1, but no layer starts from a trained model",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("train", folder.toString(), "--epochs", "1",
                    "--limit-train", "32"));
            args.addAll(List.of(cases[i]));
            CliRun r = kiln(args.toArray(String[]::new));
            assertEquals(1, r.code(), String.join(" ", cases[i]) + ": " + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith(expected[i]), String.join(" ", cases[i]) + ": " + r.err());
        }
        assertEquals(List.of(), RunFolder.list(folder), "no run is made");
    }
}
