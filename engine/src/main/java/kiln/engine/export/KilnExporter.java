package kiln.engine.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import kiln.engine.eval.TrainedModel;
import kiln.engine.project.ProjectIO;
import kiln.engine.runs.RunFolder;
import kiln.engine.util.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a trained project as a Kiln project folder that opens like any other and can be trained further:
 * project.json, the chosen run (run.json, metrics.csv, checkpoint.zip with the optimizer state, best.zip) and
 * the fitted pipeline's constants (runs/&lt;run&gt;/fitted-pipeline.json, for reading; Kiln refits the
 * pipeline on the same seeded training split, which gives the same constants).
 */
public final class KilnExporter {

    public static final String FITTED_PIPELINE = "fitted-pipeline.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private KilnExporter() { }

    public static void export(TrainedModel model, Path folder, Progress progress) throws ExportException {
        RunFolder run = model.run();
        Outputs.writeFolder(folder, ProjectIO.FILE, tmp -> {
            progress.update(-1, "Writing the project");
            ProjectIO.save(model.project(), tmp);
            Path runDir = tmp.resolve(RunFolder.RUNS).resolve(run.id());
            Files.createDirectories(runDir);
            try (Stream<Path> files = Files.list(run.dir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    progress.checkCancelled();
                    if (f.getFileName().toString().startsWith(".")) continue; // a save in progress
                    Files.copy(f, runDir.resolve(f.getFileName()));
                }
            }
            Map<String, Object> fitted = new LinkedHashMap<>();
            fitted.put("steps", model.data().pipeline().describe());
            Preprocessing.of(model.data().pipeline(), model.inputShape(), model.classNames()).ifPresent(p -> {
                fitted.put("note", "network input = raw value × scale + shift, per value, channels first");
                fitted.put("scale", p.scale());
                fitted.put("shift", p.shift());
            });
            Files.writeString(runDir.resolve(FITTED_PIPELINE), JSON.writeValueAsString(fitted) + "\n");
        });
        progress.update(1, "Exported to " + folder);
    }
}
