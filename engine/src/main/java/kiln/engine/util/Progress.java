package kiln.engine.util;

/**
 * How long work reports how far it is and learns that the user cancelled it. Implementations must be
 * thread-safe: the work calls them from its own thread.
 */
public interface Progress {

    /** @param fraction 0..1, or a negative number when the total is unknown */
    void update(double fraction, String message);

    boolean isCancelled();

    /** Throws {@link CancelledException} when the user has cancelled. */
    default void checkCancelled() {
        if (isCancelled()) throw new CancelledException();
    }

    Progress NONE = new Progress() {
        @Override public void update(double fraction, String message) { }
        @Override public boolean isCancelled() { return false; }
    };

    /** Unchecked, so that it passes through readers and loops; callers that offer cancel catch it. */
    final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("cancelled");
        }
    }
}
