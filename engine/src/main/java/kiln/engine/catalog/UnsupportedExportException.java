package kiln.engine.catalog;
/** A layer that an export format cannot express; the message names the layer and what to do. */
public final class UnsupportedExportException extends Exception {
    public UnsupportedExportException(String message) {
        super(message);
    }
}
