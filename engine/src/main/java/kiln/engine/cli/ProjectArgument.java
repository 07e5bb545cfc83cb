package kiln.engine.cli;

import kiln.engine.project.Project;
import kiln.engine.project.ProjectFormatException;
import kiln.engine.project.ProjectIO;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves the project argument of a command: a project folder, or its project.json. */
final class ProjectArgument {

    private ProjectArgument() { }

    static Path folder(Path given) {
        Path p = given.toAbsolutePath().normalize();
        if (Files.isRegularFile(p) && p.getFileName().toString().equals("project.json")) p = p.getParent();
        if (!Files.isDirectory(p)) {
            throw new KilnCommand.UserError(given + " is not a project folder; give a folder that holds project.json, "
                    + "e.g. sample-projects/mnist-cnn");
        }
        return p;
    }

    static Project load(Path folder) {
        try {
            return ProjectIO.load(folder);
        } catch (ProjectFormatException e) {
            throw new KilnCommand.UserError(e.getMessage());
        }
    }
}
