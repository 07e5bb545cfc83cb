package kiln.app;

import kiln.engine.catalog.Input;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Output;
import kiln.engine.catalog.Params;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.ModelGraph;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCatalog;
import kiln.engine.project.TrainingSettings;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Where the student's projects live (~/Kiln) and how samples get there: opening a sample copies its
 * project.json (and README.md) into ~/Kiln/&lt;sample&gt;, so training never writes into the installation.
 * Also the app's own settings folder (~/.kiln). The home folder can be moved with -Dkiln.home (tests).
 */
public final class UserProjects {

    private final Path home;

    public UserProjects(Path home) {
        this.home = home;
    }

    public static UserProjects fromSystem() {
        return new UserProjects(Path.of(System.getProperty("kiln.home", System.getProperty("user.home"))));
    }

    /** ~/Kiln: where samples are copied and new projects are suggested. */
    public Path projectsFolder() {
        return home.resolve("Kiln");
    }

    /** ~/.kiln: the app's settings. */
    public Path settingsFolder() {
        return home.resolve(".kiln");
    }

    public RecentProjects recent() {
        return new RecentProjects(settingsFolder().resolve("recent.json"));
    }

    /** Where a sample's copy goes. */
    public Path copyTarget(SampleCatalog.Sample sample) {
        return projectsFolder().resolve(sample.id());
    }

    /**
     * Copies a sample's project.json and README.md (not its runs) into the projects folder. An existing copy
     * is first moved aside to "&lt;name&gt;-backup-&lt;time&gt;" so nothing the student made is lost; that folder is
     * returned.
     */
    public Optional<Path> copySample(SampleCatalog.Sample sample) throws IOException {
        Path target = copyTarget(sample);
        Optional<Path> backup = Optional.empty();
        if (Files.exists(target)) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path aside = target.resolveSibling(sample.id() + "-backup-" + stamp);
            Files.move(target, aside);
            backup = Optional.of(aside);
        }
        Files.createDirectories(target);
        for (String name : List.of(ProjectIO.FILE, "README.md")) {
            Path from = sample.folder().resolve(name);
            if (Files.isRegularFile(from)) AtomicFiles.write(target.resolve(name), tmp ->
                    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
        return backup;
    }

    /** A new project: an Input for 28×28 grey images and a 10-class Output, on the bundled MNIST data. */
    public static Project newProject(String name) {
        ModelGraph g = new ModelGraph();
        g.add("input", LayerCatalog.get(Input.ID), Params.defaults(LayerCatalog.get(Input.ID)), 40, 120);
        g.add("output", LayerCatalog.get(Output.ID), Params.defaults(LayerCatalog.get(Output.ID)), 560, 120);
        return new Project(name, g, new DataSourceSpec.Bundled("mnist"), Pipeline.scalePixels(),
                SplitSettings.defaults(), TrainingSettings.defaults());
    }
}
