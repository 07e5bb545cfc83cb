package kiln.app.training;

import kiln.engine.edit.Command;
import kiln.engine.edit.GraphEdit;
import kiln.engine.edit.GraphEdits;
import kiln.engine.edit.ValueChange;
import kiln.engine.project.Project;
import kiln.engine.project.TrainingSettings;
import kiln.engine.sweep.SweepParam;
import kiln.engine.sweep.SweepTrial;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sweep trial's values put into the project as one undoable edit: the training settings in one change, the layer
 * parameters in one graph edit (each by the editor's own rules, so a pre-trained layer whose size changes starts new).
 */
final class ApplyTrialValues implements Command {

    private final String description;
    private final List<Command> parts = new ArrayList<>();

    /** @throws IllegalArgumentException with the reason when a value no longer fits the project (a layer was removed) */
    ApplyTrialValues(Project project, SweepTrial trial) {
        this.description = "Apply the values of sweep trial " + trial.number();
        TrainingSettings training = project.training();
        List<Map.Entry<String, Object>> layerValues = new ArrayList<>();
        for (var e : trial.values().entrySet()) {
            int dot = e.getKey().lastIndexOf('.');
            String owner = e.getKey().substring(0, dot);
            String name = e.getKey().substring(dot + 1);
            if (owner.equals(SweepParam.TRAINING)) training = training.with(name, e.getValue());
            else layerValues.add(e);
        }
        if (!training.equals(project.training())) {
            parts.add(new ValueChange<>(description, project::training, project::setTraining, training));
        }
        if (!layerValues.isEmpty()) {
            for (var e : layerValues) {
                String layer = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
                if (project.graph().find(layer).isEmpty()) {
                    throw new IllegalArgumentException("the network has no layer '" + layer + "' any more");
                }
            }
            parts.add(new GraphEdit(description, project.graph(), g -> {
                for (var e : layerValues) {
                    int dot = e.getKey().lastIndexOf('.');
                    GraphEdits.setParam(g, e.getKey().substring(0, dot), e.getKey().substring(dot + 1), e.getValue()).execute();
                }
            }));
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void execute() {
        parts.forEach(Command::execute);
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
