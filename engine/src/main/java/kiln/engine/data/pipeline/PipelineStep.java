package kiln.engine.data.pipeline;

import java.util.Map;

/**
 * One step of a project's data pipeline as stored in project.json.
 * @param type    a {@link StepType} id
 * @param enabled switched-off steps stay in the list but do nothing
 * @param params  the step's parameters, validated by its type
 */
public record PipelineStep(String type, boolean enabled, Map<String, Object> params) {

    public PipelineStep {
        params = Map.copyOf(params);
    }
}
