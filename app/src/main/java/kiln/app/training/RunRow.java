package kiln.app.training;

import kiln.engine.runs.DynamicsFile;
import kiln.engine.runs.LayerDynamics;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;
import kiln.engine.runs.TrainingEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One run of the project as the history table shows it; read off the JavaFX thread. */
record RunRow(RunFolder folder, RunRecord record, List<TrainingEvent.EpochFinished> metrics, List<LayerDynamics> dynamics,
              String problem) {

    String id() {
        return folder.id();
    }

    /** The label for chart legends: unique, since a renamed run keeps its id beside the name. */
    String label() {
        if (record == null) return id();
        return record.name() == null || record.name().isBlank() ? id() : record.name() + " (" + id() + ")";
    }

    /** Accuracy on the test split, or the last validation accuracy when the run has no test result; NaN if neither. */
    double finalAccuracy() {
        if (record != null && Double.isFinite(record.testAccuracy())) return record.testAccuracy();
        return metrics.isEmpty() ? Double.NaN : metrics.get(metrics.size() - 1).validationAccuracy();
    }

    /** "test" or "validation": which split {@link #finalAccuracy} is measured on. */
    String finalAccuracySplit() {
        return record != null && Double.isFinite(record.testAccuracy()) ? "test" : "validation";
    }

    /**
     * Where the run's weights started: "new" (from scratch), or the trained model(s) its layers were loaded from,
     * with how many ("../mnist-cnn:run-2, 4 of 5 layers").
     */
    String weightsFrom() {
        if (record == null) return "";
        List<String> lines = record.initFrom();
        if (lines.isEmpty()) return "new";
        java.util.Set<String> sources = new java.util.LinkedHashSet<>();
        int loaded = 0;
        for (String line : lines) {
            int at = line.indexOf(": loaded (from ");
            if (at < 0) continue;
            loaded++;
            String rest = line.substring(at + ": loaded (from ".length());
            int end = rest.indexOf(';') >= 0 ? rest.indexOf(';') : rest.lastIndexOf(')');
            sources.add(end >= 0 ? rest.substring(0, end) : rest);
        }
        if (loaded == 0) return "new (no layer matched)";
        return String.join(", ", sources) + ", " + loaded + " of " + lines.size() + " layers";
    }

    /** Every run of the project, oldest first; a run whose files are damaged is listed with the reason. */
    static List<RunRow> readAll(Path projectFolder) throws IOException {
        List<RunRow> rows = new ArrayList<>();
        List<RunFolder> folders = RunFolder.list(projectFolder);
        for (RunFolder f : folders) {
            // the newest folder may be a run starting (the next run of a repeat): listed once its record is there
            if (f == folders.get(folders.size() - 1) && f.isBeingSetUp()) continue;
            try {
                rows.add(new RunRow(f, f.readCurrentRecord(), f.readMetrics(), dynamics(f), null));
            } catch (IOException | RuntimeException e) {
                rows.add(new RunRow(f, null, List.of(), List.of(), "cannot be read: " + e.getMessage()));
            }
        }
        return rows;
    }

    /** The layer measurements, which only feed hints: a damaged file leaves the run itself readable. */
    private static List<LayerDynamics> dynamics(RunFolder f) {
        try {
            return DynamicsFile.read(f);
        } catch (IOException e) {
            return List.of();
        }
    }
}
