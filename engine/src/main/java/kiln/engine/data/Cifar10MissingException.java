package kiln.engine.data;

import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 is not in the folder a project names. Kiln cannot ship it, so the way out is to download it
 * ({@link Cifar10Download}) or to point the project at a copy ({@link Cifar10Download#locate}); the app
 * catches this type to offer both, the message says the same in words.
 */
public final class Cifar10MissingException extends DataFormatException {

    private final Path folder;
    private final List<String> missingFiles;

    public Cifar10MissingException(Path folder, List<String> missingFiles) {
        super(folder, "the CIFAR-10 files " + missingFiles + " are missing. Kiln cannot ship CIFAR-10: download it with "
                + "'java -jar target/kiln.jar data cifar10 --download" + (folder.equals(Cifar10Download.standardFolder()) ? ""
                : " --to " + folder) + "', or point the project at a copy of the folder "
                + Cifar10Download.FOLDER_NAME + " with 'java -jar target/kiln.jar data cifar10 --locate DIR --project PROJECT'. "
                + Cifar10Download.offlineHelp() + ".");
        this.folder = folder;
        this.missingFiles = List.copyOf(missingFiles);
    }

    /** The folder the project expects CIFAR-10 in (absolute). */
    public Path folder() {
        return folder;
    }

    public List<String> missingFiles() {
        return missingFiles;
    }
}
