package kiln.engine.export;

/** An export that cannot be made; the message says why in plain words and what to do. */
public final class ExportException extends Exception {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
