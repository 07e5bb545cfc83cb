package kiln.engine.train;

import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StandardizeStep;
import kiln.engine.model.Graphs;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.TrainingSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** A regression project on y = 2x + 1 (a CSV with columns x and y), for the regression tests. */
public final class LinearProjects {

    private LinearProjects() { }

    /** Writes line.csv (200 rows, x uniform in −5..5, seeded) and project.json into {@code folder}. */
    public static Project line(Path folder, String loss) throws Exception {
        StringBuilder csv = new StringBuilder("x,y\n");
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            double x = -5 + 10 * r.nextDouble();
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f%n", x, 2 * x + 1));
        }
        Files.writeString(folder.resolve("line.csv"), csv);
        Project p = new Project("Line", Graphs.start()
                .then("input", "input", Map.of("kind", "vector", "size", 1))
                .then("output", "output", Map.of("units", 1, "loss", loss)).build(),
                new DataSourceSpec.Csv("line.csv", "y", true),
                new Pipeline(List.of(new PipelineStep(StandardizeStep.ID, true, Map.of()))),
                new SplitSettings(0.1, 0.2, 42, false),
                new TrainingSettings("adam", 0.05, 0.9, "constant", 1, 0.5, 16, 30, 0.0, 0, 42, 1));
        ProjectIO.save(p, folder);
        return p;
    }
}
