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

    /** Every run of the project, oldest first; a run whose files are damaged is listed with the reason. */
    static List<RunRow> readAll(Path projectFolder) throws IOException {
        List<RunRow> rows = new ArrayList<>();
        for (RunFolder f : RunFolder.list(projectFolder)) {
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
