package kiln.engine.runs;

import kiln.engine.project.TrainingSettings;

/**
 * The summary of one training run, kept in runs/&lt;id&gt;/run.json beside its metrics and weights.
 * @param status         running, completed, early_stopped, cancelled or failed
 * @param epochsCompleted epochs whose checkpoint is on disk
 * @param limitTrain     training samples used when limited (0 = all)
 * @param name           the student's display name for the run, or null (run.json written before names
 *                       existed has no such key and loads with null)
 * @param initFrom       where the weights started from, one line per layer ("conv1 (Conv2D): loaded from
 *                       ../mnist-cnn:run-2"); null or empty when every layer started from random weights
 * @param totalParams    the network's parameters when the run started, or null (run.json from before it was kept)
 * @param trainableParams of those, the ones training changes (not frozen, not the base weights under LoRA), or null
 * @param group          the experiment the run belongs to ("repeat-1" for one of a set of seeds, "cv-1" for one fold of
 *                       a cross-validation), or null for a single run (and in run.json from before groups existed)
 */
public record RunRecord(String id, String status, String started, double seconds, int epochsCompleted,
                        int bestEpoch, double bestValidationLoss, double testLoss, double testAccuracy,
                        int limitTrain, String message, TrainingSettings settings, String name,
                        java.util.List<String> initFrom, Long totalParams, Long trainableParams,
                        String group) {

    public RunRecord {
        initFrom = initFrom == null ? java.util.List.of() : java.util.List.copyOf(initFrom);
    }

    /** A record of a run outside any experiment group. */
    public RunRecord(String id, String status, String started, double seconds, int epochsCompleted,
                     int bestEpoch, double bestValidationLoss, double testLoss, double testAccuracy,
                     int limitTrain, String message, TrainingSettings settings, String name,
                     java.util.List<String> initFrom, Long totalParams, Long trainableParams) {
        this(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss, testLoss, testAccuracy,
                limitTrain, message, settings, name, initFrom, totalParams, trainableParams, null);
    }

    /** A record without parameter counts. */
    public RunRecord(String id, String status, String started, double seconds, int epochsCompleted,
                     int bestEpoch, double bestValidationLoss, double testLoss, double testAccuracy,
                     int limitTrain, String message, TrainingSettings settings, String name,
                     java.util.List<String> initFrom) {
        this(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss, testLoss, testAccuracy,
                limitTrain, message, settings, name, initFrom, null, null);
    }

    /** A record of a run that started from random weights. */
    public RunRecord(String id, String status, String started, double seconds, int epochsCompleted,
                     int bestEpoch, double bestValidationLoss, double testLoss, double testAccuracy,
                     int limitTrain, String message, TrainingSettings settings, String name) {
        this(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss, testLoss, testAccuracy,
                limitTrain, message, settings, name, null);
    }

    /** A record without a display name. */
    public RunRecord(String id, String status, String started, double seconds, int epochsCompleted,
                     int bestEpoch, double bestValidationLoss, double testLoss, double testAccuracy,
                     int limitTrain, String message, TrainingSettings settings) {
        this(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss, testLoss, testAccuracy,
                limitTrain, message, settings, null);
    }

    /** The name to show: the student's name for the run, else its id. */
    public String displayName() {
        return name == null || name.isBlank() ? id : name;
    }

    public RunRecord withName(String newName) {
        return new RunRecord(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss,
                testLoss, testAccuracy, limitTrain, message, settings, newName, initFrom, totalParams, trainableParams, group);
    }

    public RunRecord withProgress(String newStatus, double newSeconds, int epochs, int best, double bestLoss) {
        return new RunRecord(id, newStatus, started, newSeconds, epochs, best, bestLoss, testLoss, testAccuracy,
                limitTrain, message, settings, name, initFrom, totalParams, trainableParams, group);
    }

    public RunRecord withEnding(String newStatus, double newSeconds, double loss, double accuracy, String newMessage) {
        return new RunRecord(id, newStatus, started, newSeconds, epochsCompleted, bestEpoch, bestValidationLoss,
                loss, accuracy, limitTrain, newMessage, settings, name, initFrom, totalParams, trainableParams, group);
    }

    public RunRecord withInitFrom(java.util.List<String> lines) {
        return new RunRecord(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss,
                testLoss, testAccuracy, limitTrain, message, settings, name, lines, totalParams, trainableParams, group);
    }

    public RunRecord withParamCounts(long total, long trainable) {
        return new RunRecord(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss,
                testLoss, testAccuracy, limitTrain, message, settings, name, initFrom, total, trainable, group);
    }

    public RunRecord withSettings(TrainingSettings newSettings) {
        return new RunRecord(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss,
                testLoss, testAccuracy, limitTrain, message, newSettings, name, initFrom, totalParams, trainableParams, group);
    }

    public RunRecord withGroup(String newGroup) {
        return new RunRecord(id, status, started, seconds, epochsCompleted, bestEpoch, bestValidationLoss,
                testLoss, testAccuracy, limitTrain, message, settings, name, initFrom, totalParams, trainableParams, newGroup);
    }
}
