package kiln.app;

import kiln.engine.catalog.Input;
import kiln.engine.catalog.LayerCatalog;
import kiln.engine.catalog.Output;
import kiln.engine.catalog.Params;
import kiln.engine.data.BundledData;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.ModelGraph;
import kiln.engine.model.Node;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.Project;
import kiln.engine.project.ProjectIO;
import kiln.engine.project.SampleCatalog;
import kiln.engine.project.TrainingSettings;
import kiln.engine.train.WeightTransfer;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the student's projects live (~/Kiln) and how samples get there: opening a sample copies its
 * project.json (and README.md, and a trained model inside it that its layers start from) into ~/Kiln/&lt;sample&gt;,
 * so training never writes into the installation.
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

    /** Whether the student has a copy of this sample already. Reads the disk: executor work. */
    public boolean hasCopy(SampleCatalog.Sample sample) {
        return Files.exists(copyTarget(sample));
    }

    /** Whether a folder holds a project.json. Reads the disk: executor work. */
    public static boolean holdsProject(Path folder) {
        return Files.isRegularFile(folder.resolve(ProjectIO.FILE));
    }

    /** {@code name}, or name-2, name-3, … : the first that does not exist in the projects folder. Executor work. */
    public Path freeFolder(String name) {
        Path p = projectsFolder().resolve(name);
        for (int i = 2; Files.exists(p); i++) p = projectsFolder().resolve(name + "-" + i);
        return p;
    }

    /** The MNIST CNN sample opened at the very first start, when it is installed. Reads the disk: executor work. */
    public static Optional<SampleCatalog.Sample> firstLaunchSample() throws ProjectFormatException {
        Optional<Path> dir = BundledData.sampleProjectsFolder().map(d -> d.resolve("mnist-cnn"));
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) return Optional.empty();
        return Optional.of(SampleCatalog.read(dir.get()));
    }

    /** Where a sample's copy goes. */
    public Path copyTarget(SampleCatalog.Sample sample) {
        return projectsFolder().resolve(sample.id());
    }

    /**
     * Copies a sample's project.json and README.md (not its runs) into the projects folder, with the trained models
     * inside the sample folder that its layers start from. An existing copy
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
        for (Path source : trainedModelsInside(sample.folder())) copyTree(source, target.resolve(sample.folder().relativize(source)));
        return backup;
    }

    /**
     * The trained models a sample's layers start from (weightsFrom) that live inside the sample folder, such as
     * the transfer sample's pre-trained network: the copy needs them to train.
     */
    private static Set<Path> trainedModelsInside(Path sampleFolder) throws IOException {
        Path base = sampleFolder.toAbsolutePath().normalize();
        Set<Path> out = new LinkedHashSet<>();
        try {
            for (Node n : ProjectIO.load(sampleFolder).graph().nodes()) {
                if (!n.pretrained()) continue;
                Path source = base.resolve(WeightTransfer.folderOf(n.weightsFrom())).normalize();
                if (!source.equals(base) && source.startsWith(base) && Files.isDirectory(source)) out.add(source);
            }
        } catch (ProjectFormatException e) {
            throw new IOException(e.getMessage(), e);
        }
        return out;
    }

    /** Copies a folder's files (not hidden ones, such as a save in progress) into {@code to}. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().startsWith(".")) continue;
                Path dest = to.resolve(from.relativize(f).toString());
                Files.createDirectories(dest.getParent());
                AtomicFiles.write(dest, tmp -> Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING));
            }
        }
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
