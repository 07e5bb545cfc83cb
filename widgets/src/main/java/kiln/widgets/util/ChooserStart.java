package kiln.widgets.util;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder a file or folder chooser opens in. A native chooser lists folders on the JavaFX thread by design,
 * so checking its start folder right before it opens is the one file access the views make on that thread.
 */
public final class ChooserStart {

    private ChooserStart() {
    }

    /** {@code folder} when it is an existing folder, else null (the chooser then starts where the system likes). */
    public static File existing(Path folder) {
        return folder != null && Files.isDirectory(folder) ? folder.toFile() : null;
    }

    /** {@code folder}, created first when missing; null when it cannot be created. */
    public static File created(Path folder) {
        try {
            return Files.createDirectories(folder).toFile();
        } catch (IOException e) {
            return null;
        }
    }
}
