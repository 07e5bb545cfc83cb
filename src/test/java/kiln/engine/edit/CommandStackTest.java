package kiln.engine.edit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandStackTest {

    private final List<String> value = new ArrayList<>(List.of("a"));
    private final CommandStack stack = new CommandStack();

    private ValueChange<String> set(String v) {
        return new ValueChange<>("Set to " + v, () -> value.get(0), x -> value.set(0, x), v);
    }

    @Test
    void undoAndRedoRestoreValuesAndNameTheStep() {
        stack.execute(set("b"));
        stack.execute(set("c"));
        assertEquals(Optional.of("Set to c"), stack.undoDescription());

        stack.undo();
        assertEquals("b", value.get(0));
        assertEquals(Optional.of("Set to c"), stack.redoDescription());
        stack.undo();
        assertEquals("a", value.get(0));
        assertFalse(stack.canUndo());

        stack.redo();
        assertEquals("b", value.get(0));
    }

    @Test
    void aNewEditClearsRedo() {
        stack.execute(set("b"));
        stack.undo();
        stack.execute(set("z"));
        assertFalse(stack.canRedo());
        assertEquals("z", value.get(0));
    }

    @Test
    void noOpsAreDroppedAndDoNotDirty() {
        assertFalse(stack.execute(set("a")));
        assertFalse(stack.canUndo());
        assertTrue(stack.isClean());
        assertEquals(0, stack.revision());
    }

    @Test
    void cleanFollowsTheSavedState() {
        stack.execute(set("b"));
        assertFalse(stack.isClean());
        stack.markClean();
        assertTrue(stack.isClean());
        stack.undo();
        assertFalse(stack.isClean(), "undoing past the save is a change");
        stack.redo();
        assertTrue(stack.isClean(), "redoing back to the saved state is clean again");
        stack.undo();
        stack.execute(set("q"));
        assertFalse(stack.isClean(), "a different branch never matches the save");
    }

    @Test
    void aFailingCommandLeavesNoTrace() {
        Command failing = new Command() {
            @Override public String description() { return "fail"; }
            @Override public void execute() { throw new IllegalArgumentException("no"); }
            @Override public void undo() { }
        };
        assertThrows(IllegalArgumentException.class, () -> stack.execute(failing));
        assertFalse(stack.canUndo());
        assertEquals(0, stack.revision());
    }

    @Test
    void listenersHearEveryChange() {
        int[] calls = {0};
        Runnable remove = stack.addListener(() -> calls[0]++);
        stack.execute(set("b"));
        stack.undo();
        stack.redo();
        stack.markClean();
        assertEquals(4, calls[0]);
        remove.run();
        stack.undo();
        assertEquals(4, calls[0]);
    }
}
