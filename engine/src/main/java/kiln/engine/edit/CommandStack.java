package kiln.engine.edit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Undo and redo for one project, with a revision counter and the unsaved-changes flag.
 * Not thread-safe: the app calls it from the JavaFX thread only.
 */
public final class CommandStack {

    /** Oldest steps are forgotten past this many, so a long session does not grow without bound. */
    public static final int LIMIT = 1_000;

    private record Entry(Command command, long state) { }

    private final Deque<Entry> undo = new ArrayDeque<>();
    private final Deque<Entry> redo = new ArrayDeque<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long nextState = 1;
    private long currentState = 0;
    private long cleanState = 0;
    private long revision = 0;

    /**
     * Executes a command and records it. No-op commands are dropped and return false.
     * A command that throws leaves the stack unchanged and the exception goes to the caller.
     */
    public boolean execute(Command command) {
        if (command.isNoOp()) return false;
        command.execute();
        Entry e = new Entry(command, nextState++);
        undo.push(e);
        if (undo.size() > LIMIT) undo.removeLast();
        redo.clear();
        currentState = e.state();
        changed();
        return true;
    }

    public boolean canUndo() {
        return !undo.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** "Delete conv2" for the menu item "Undo Delete conv2"; empty when there is nothing to undo. */
    public Optional<String> undoDescription() {
        return Optional.ofNullable(undo.peek()).map(e -> e.command().description());
    }

    public Optional<String> redoDescription() {
        return Optional.ofNullable(redo.peek()).map(e -> e.command().description());
    }

    public void undo() {
        if (undo.isEmpty()) return;
        Entry e = undo.pop();
        e.command().undo();
        redo.push(e);
        currentState = undo.isEmpty() ? 0 : undo.peek().state();
        changed();
    }

    public void redo() {
        if (redo.isEmpty()) return;
        Entry e = redo.pop();
        e.command().execute();
        undo.push(e);
        currentState = e.state();
        changed();
    }

    /** Counts every change (execute, undo, redo); views compare it to know when to refresh. */
    public long revision() {
        return revision;
    }

    /** True when the project is as it was last saved (or opened). */
    public boolean isClean() {
        return currentState == cleanState;
    }

    /** Called after a successful save. */
    public void markClean() {
        cleanState = currentState;
        changed();
    }

    /** Called on the JavaFX thread after every change; returns a handle that removes the listener. */
    public Runnable addListener(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed() {
        revision++;
        listeners.forEach(Runnable::run);
    }
}
