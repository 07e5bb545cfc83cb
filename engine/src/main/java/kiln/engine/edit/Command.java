package kiln.engine.edit;

/**
 * One undoable change to a project. A command captures the old values it needs when it is built, so
 * {@link #undo} puts back exactly what {@link #execute} changed. Run commands through a {@link CommandStack}.
 */
public interface Command {

    /** What the change does, for the Edit menu: "Delete conv2", "Set learning rate to 0.01". */
    String description();

    /** Applies the change. Throws IllegalArgumentException (with a message for the user) when it cannot. */
    void execute();

    /** Reverts exactly what {@link #execute} did. */
    void undo();

    /** True when executing would change nothing; the stack drops such commands. */
    default boolean isNoOp() {
        return false;
    }
}
