package kiln.engine.data.pipeline;

import java.util.Arrays;

/**
 * What one cleaning step did to one split. Indices are positions in the split as the step received it.
 * @param removed samples dropped
 * @param changed samples kept but altered (values filled in, image resized)
 * @param flagged samples kept unchanged but worth a look (near-empty images)
 * @param summary one line for the UI, e.g. "dropped 3 of 120 rows with missing values"
 */
public record CleaningReport(String step, int[] removed, int[] changed, int[] flagged, String summary) {

    public CleaningReport {
        removed = removed.clone();
        changed = changed.clone();
        flagged = flagged.clone();
    }

    @Override public int[] removed() { return removed.clone(); }
    @Override public int[] changed() { return changed.clone(); }
    @Override public int[] flagged() { return flagged.clone(); }

    public int removedCount() { return removed.length; }
    public int changedCount() { return changed.length; }
    public int flaggedCount() { return flagged.length; }

    @Override
    public String toString() {
        return step + ": " + summary + " (removed " + Arrays.toString(Arrays.copyOf(removed, Math.min(10, removed.length)))
                + (removed.length > 10 ? "…" : "") + ")";
    }
}
