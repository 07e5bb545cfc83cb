package kiln.engine.project;

/** A project file that cannot be loaded; the message names the file, the JSON path and the fix. */
public class ProjectFormatException extends Exception {

    public ProjectFormatException(String message) {
        super(message);
    }

    public ProjectFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
