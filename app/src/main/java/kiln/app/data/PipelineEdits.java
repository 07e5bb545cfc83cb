package kiln.app.data;

import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepParams;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.params.ParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Data tab's edits of a pipeline, headless: each gives the new steps and the description Undo shows. */
final class PipelineEdits {

    /** @param at where the edited step is afterwards */
    record Edit(String description, List<PipelineStep> steps, int at) { }

    private PipelineEdits() { }

    /** Cleaning before augmentation before normalization: a new step goes after the last of its family or earlier ones. */
    static Edit add(Pipeline p, StepType t) {
        List<PipelineStep> list = new ArrayList<>(p.steps());
        int at = 0;
        for (int i = 0; i < list.size(); i++) {
            Optional<StepType> other = StepType.find(list.get(i).type());
            if (other.isPresent() && other.get().kind().ordinal() <= t.kind().ordinal()) at = i + 1;
        }
        list.add(at, new PipelineStep(t.id(), true, StepParams.defaults(t).asMap()));
        return new Edit("Add " + t.displayName(), list, at);
    }

    static Optional<Edit> remove(Pipeline p, int i) {
        if (i < 0 || i >= p.steps().size()) return Optional.empty();
        List<PipelineStep> list = new ArrayList<>(p.steps());
        PipelineStep gone = list.remove(i);
        return Optional.of(new Edit("Remove " + name(gone), list, Math.min(i, list.size() - 1)));
    }

    static Optional<Edit> move(Pipeline p, int i, int by) {
        List<PipelineStep> list = new ArrayList<>(p.steps());
        int j = i + by;
        if (i < 0 || i >= list.size() || j < 0 || j >= list.size()) return Optional.empty();
        PipelineStep s = list.remove(i);
        list.add(j, s);
        return Optional.of(new Edit("Move " + name(s) + (by < 0 ? " up" : " down"), list, j));
    }

    static Optional<Edit> setEnabled(Pipeline p, int i, boolean enabled) {
        List<PipelineStep> list = new ArrayList<>(p.steps());
        PipelineStep s = list.get(i);
        if (s.enabled() == enabled) return Optional.empty();
        list.set(i, new PipelineStep(s.type(), enabled, s.params()));
        return Optional.of(new Edit((enabled ? "Switch on " : "Switch off ") + name(s), list, i));
    }

    /**
     * Sets one parameter of step {@code i}; empty when it has that value already.
     * @throws IllegalArgumentException with the step's own words when the values do not go together
     */
    static Optional<Edit> setParam(Pipeline p, int i, StepType t, ParamSpec param, Object value) {
        List<PipelineStep> list = new ArrayList<>(p.steps());
        if (i >= list.size()) return Optional.empty();
        PipelineStep s = list.get(i);
        if (value.equals(s.params().get(param.name()))) return Optional.empty();
        Map<String, Object> params = new LinkedHashMap<>(s.params());
        params.put(param.name(), value);
        t.check(params).ifPresent(bad -> { throw new IllegalArgumentException(bad); });
        list.set(i, new PipelineStep(s.type(), s.enabled(), params));
        return Optional.of(new Edit("Set " + param.label() + " of " + t.displayName() + " to " + value, list, i));
    }

    static String name(PipelineStep s) {
        return StepType.find(s.type()).map(StepType::displayName).orElse(s.type());
    }
}
