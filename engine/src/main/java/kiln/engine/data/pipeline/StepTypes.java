package kiln.engine.data.pipeline;

import java.util.List;

/** Every step type, in the order the data pane offers them. */
final class StepTypes {

    private StepTypes() { }

    static final List<StepType> ALL = List.of(
            new DropDuplicatesStep(), new FlagNearEmptyStep(), new ResizeStep(),
            new DropMissingStep(), new FillMissingStep(), new DropOutliersStep(),
            new Augmentations.Rotate(), new Augmentations.Flip(), new Augmentations.Shift(), new Augmentations.Zoom(),
            new Augmentations.PadCrop(), new Augmentations.BrightnessContrast(), new Augmentations.Noise(),
            new Augmentations.Cutout(),
            new ScaleStep(), new MinMaxStep(), new StandardizeStep(), new FixedNormalizeStep());
}
