package kiln.engine.sweep;

/** A sweep that cannot run as given; the message names the part (the parameter, value or trial) and the fix. */
public final class SweepSpecException extends Exception {
    public SweepSpecException(String message) {
        super(message);
    }
}
