package kiln.engine.importer;

/** A model Kiln cannot import, in one line of plain words: where, what, and what to do instead. */
public final class ImportException extends Exception {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
