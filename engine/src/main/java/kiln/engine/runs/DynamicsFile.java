package kiln.engine.runs;

import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A run's dynamics.csv: one row per layer and epoch of {@link LayerDynamics}, replaced atomically each epoch. */
public final class DynamicsFile {

    public static final String NAME = "dynamics.csv";
    static final String HEADER = "epoch,layer,parameters,weight_norm,gradient_norm,update_ratio,dead_share,"
            + "activation_mean,activation_std";

    private DynamicsFile() { }

    public static Path of(RunFolder run) {
        return run.dir().resolve(NAME);
    }

    public static void write(RunFolder run, List<LayerDynamics> rows) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (LayerDynamics d : rows) {
            // Double.toString reads back to the same number, so the file holds what training measured.
            sb.append(String.join(",", String.valueOf(d.epoch()), d.layer(), String.valueOf(d.parameters()),
                    String.valueOf(d.weightNorm()), String.valueOf(d.gradientNorm()), String.valueOf(d.updateRatio()),
                    String.valueOf(d.deadShare()), String.valueOf(d.activationMean()),
                    String.valueOf(d.activationStd()))).append('\n');
        }
        AtomicFiles.write(of(run), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The rows as written; empty when the run has none (older runs, imported runs). */
    public static List<LayerDynamics> read(RunFolder run) throws IOException {
        Path file = of(run);
        List<LayerDynamics> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException(file + " does not start with the header '" + HEADER + "'; delete the file to "
                    + "drop the run's layer measurements (the run itself is kept).");
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] c = line.split(",");
            try {
                if (c.length != 9) throw new IllegalArgumentException("expected 9 values, found " + c.length);
                out.add(new LayerDynamics(Integer.parseInt(c[0]), c[1], Long.parseLong(c[2]), Double.parseDouble(c[3]),
                        Double.parseDouble(c[4]), Double.parseDouble(c[5]), Double.parseDouble(c[6]),
                        Double.parseDouble(c[7]), Double.parseDouble(c[8])));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is damaged: '" + line + "'", e);
            }
        }
        return out;
    }
}
