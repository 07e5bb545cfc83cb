package kiln.engine.project;

import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.StepParams;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.params.ParamSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every data step type survives a save and load with non-default values, and bad values name their JSON path. */
class PipelineStepsIOTest {

    @TempDir
    Path dir;

    static List<String> stepTypes() {
        return StepType.all().stream().map(StepType::id).toList();
    }

    /** Each parameter moved off its default, so the round trip proves the value was written and read. */
    private static Map<String, Object> nonDefaults(StepType t) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ParamSpec p : t.params()) {
            m.put(p.name(), switch (p.kind()) {
                case INT -> (int) Math.min(p.max(), ((Integer) p.defaultValue()) + 1);
                case DOUBLE -> p.name().equals("low") ? -1.0 : Math.min(p.max(), ((Double) p.defaultValue()) + 0.25);
                case BOOLEAN -> !(Boolean) p.defaultValue();
                case CHOICE -> p.choices().get(p.choices().size() - 1);
            });
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource("stepTypes")
    void stepRoundTrips(String id) throws Exception {
        StepType t = StepType.find(id).orElseThrow();
        Map<String, Object> params = nonDefaults(t);
        assertTrue(t.check(params).isEmpty(), t.check(params).orElse(""));
        Project p = ProjectIOTest.residualProject();
        p.setPipeline(new Pipeline(List.of(new PipelineStep(id, false, params), new PipelineStep(id, true, Map.of()))));
        ProjectIO.save(p, dir);
        Project back = ProjectIO.load(dir);
        assertEquals(new PipelineStep(id, false, params), back.pipeline().steps().get(0));
        assertEquals(new PipelineStep(id, true, StepParams.defaults(t).asMap()), back.pipeline().steps().get(1),
                "defaults are written out");
    }

    @ParameterizedTest
    @MethodSource("stepTypes")
    void aBadValueIsNamedWithItsJsonPath(String id) throws Exception {
        StepType t = StepType.find(id).orElseThrow();
        Project p = ProjectIOTest.residualProject();
        p.setPipeline(new Pipeline(List.of(new PipelineStep(id, true, Map.of()))));
        ProjectIO.save(p, dir);
        String json = Files.readString(dir.resolve(ProjectIO.FILE));
        String key;
        String broken;
        if (t.params().isEmpty()) {
            key = "surprise";
            int at = json.indexOf("\"params\" : { }", json.indexOf("\"pipeline\""));
            broken = json.substring(0, at) + "\"params\" : { \"surprise\" : 1 }" + json.substring(at + "\"params\" : { }".length());
        } else {
            key = t.params().get(0).name();
            int at = json.indexOf("\"" + key + "\" :", json.indexOf("\"pipeline\""));
            int end = json.indexOf('\n', at);
            broken = json.substring(0, at) + "\"" + key + "\" : 99999999" + (json.charAt(end - 1) == ',' ? "," : "") + json.substring(end);
        }
        Files.writeString(dir.resolve(ProjectIO.FILE), broken);
        ProjectFormatException e = assertThrows(ProjectFormatException.class, () -> ProjectIO.load(dir));
        String where = "$.pipeline.steps[0].params." + key;
        assertTrue(e.getMessage().startsWith("project.json at " + where + ": "), e.getMessage());
    }
}
