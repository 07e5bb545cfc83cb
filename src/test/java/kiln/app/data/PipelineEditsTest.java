package kiln.app.data;

import kiln.engine.data.pipeline.Augmentations;
import kiln.engine.data.pipeline.DropDuplicatesStep;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.data.pipeline.PipelineStep;
import kiln.engine.data.pipeline.ScaleStep;
import kiln.engine.data.pipeline.StepType;
import kiln.engine.params.ParamSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineEditsTest {

    private static StepType type(String id) {
        return StepType.find(id).orElseThrow();
    }

    private static List<String> ids(List<PipelineStep> steps) {
        return steps.stream().map(PipelineStep::type).toList();
    }

    @Test
    void aNewStepJoinsItsFamilyCleaningBeforeAugmentationBeforeNormalization() {
        Pipeline p = Pipeline.scalePixels();
        PipelineEdits.Edit rotate = PipelineEdits.add(p, type(Augmentations.Rotate.ID));
        assertEquals(List.of(Augmentations.Rotate.ID, ScaleStep.ID), ids(rotate.steps()));
        assertEquals(0, rotate.at());
        PipelineEdits.Edit clean = PipelineEdits.add(new Pipeline(rotate.steps()), type(DropDuplicatesStep.ID));
        assertEquals(List.of(DropDuplicatesStep.ID, Augmentations.Rotate.ID, ScaleStep.ID), ids(clean.steps()));
        assertEquals("Add Drop exact duplicates", clean.description());
    }

    @Test
    void moveRemoveAndSwitchNameTheStepAndRefuseWhatCannotBeDone() {
        Pipeline p = new Pipeline(PipelineEdits.add(Pipeline.scalePixels(), type(Augmentations.Rotate.ID)).steps());
        PipelineEdits.Edit down = PipelineEdits.move(p, 0, 1).orElseThrow();
        assertEquals(List.of(ScaleStep.ID, Augmentations.Rotate.ID), ids(down.steps()));
        assertEquals(1, down.at());
        assertTrue(down.description().endsWith(" down"), down.description());
        assertEquals(Optional.empty(), PipelineEdits.move(p, 1, 1), "the last step cannot move down");
        assertEquals(Optional.empty(), PipelineEdits.remove(p, -1), "nothing selected");
        assertEquals(List.of(ScaleStep.ID), ids(PipelineEdits.remove(p, 0).orElseThrow().steps()));
        PipelineEdits.Edit off = PipelineEdits.setEnabled(p, 1, false).orElseThrow();
        assertFalse(off.steps().get(1).enabled());
        assertEquals(Optional.empty(), PipelineEdits.setEnabled(p, 1, true), "already on");
    }

    @Test
    void aParameterIsCheckedByItsStep() {
        Pipeline p = new Pipeline(PipelineEdits.add(Pipeline.scalePixels(), type(Augmentations.Rotate.ID)).steps());
        StepType rotate = type(Augmentations.Rotate.ID);
        ParamSpec degrees = rotate.params().stream().filter(s -> s.name().equals("degrees")).findFirst().orElseThrow();
        PipelineEdits.Edit set = PipelineEdits.setParam(p, 0, rotate, degrees, 45.0).orElseThrow();
        assertEquals(45.0, set.steps().get(0).params().get("degrees"));
        assertEquals(Optional.empty(), PipelineEdits.setParam(new Pipeline(set.steps()), 0, rotate, degrees, 45.0), "unchanged");
        assertThrows(IllegalArgumentException.class, () -> PipelineEdits.setParam(p, 0, rotate, degrees, 1e9));
    }
}
