package kiln.app.data;

import kiln.engine.data.pipeline.StepType;

/** Lets the screenshot program (in kiln.app) reach the data pane's package-private test hooks. */
public final class DataViewDriver {

    private DataViewDriver() { }

    public static long galleryImages(DataView v) {
        return v.gallery().shownImageCount();
    }

    public static int previewImages(DataView v) {
        return v.previewGrid().imageCount();
    }

    public static boolean histogramShown(DataView v) {
        return v.histogram().isVisible() && v.histogram().after() != null;
    }

    public static void addStep(DataView v, String stepId) {
        v.addStep(StepType.find(stepId).orElseThrow());
    }
}
