package kiln.engine.edit;

import java.util.ArrayList;
import java.util.List;

/** Several commands as one step ("Delete 3 layers"): executed in order, undone in reverse. */
public final class CompoundCommand implements Command {

    private final String description;
    private final List<Command> parts;

    public CompoundCommand(String description, List<? extends Command> parts) {
        this.description = description;
        this.parts = List.copyOf(parts);
    }

    @Override
    public String description() {
        return description;
    }

    /** If a part fails, the parts already done are undone before the failure is passed on. */
    @Override
    public void execute() {
        List<Command> done = new ArrayList<>();
        try {
            for (Command c : parts) {
                c.execute();
                done.add(c);
            }
        } catch (RuntimeException e) {
            for (int i = done.size() - 1; i >= 0; i--) done.get(i).undo();
            throw e;
        }
    }

    @Override
    public void undo() {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).undo();
    }

    @Override
    public boolean isNoOp() {
        return parts.stream().allMatch(Command::isNoOp);
    }
}
