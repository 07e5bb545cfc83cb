package kiln.engine.data;

import java.nio.file.Path;

/** A data file that cannot be read; the message names the file, the problem and, where possible, the fix. */
public class DataFormatException extends Exception {

    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
