package kiln.engine.edit;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Replaces one value of a project (its training settings, pipeline, split, data source, name) with another.
 * The old value is read when the command is built.
 */
public final class ValueChange<T> implements Command {

    private final String description;
    private final Consumer<T> setter;
    private final T oldValue;
    private final T newValue;

    public ValueChange(String description, Supplier<T> getter, Consumer<T> setter, T newValue) {
        this.description = description;
        this.setter = setter;
        this.oldValue = getter.get();
        this.newValue = newValue;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void execute() {
        setter.accept(newValue);
    }

    @Override
    public void undo() {
        setter.accept(oldValue);
    }

    @Override
    public boolean isNoOp() {
        return Objects.equals(oldValue, newValue);
    }
}
