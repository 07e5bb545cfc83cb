package kiln.app.training;

import kiln.engine.runs.TrainingEvent;

import java.util.List;

/** How long a run still needs, from what it has done so far. */
final class Eta {

    private Eta() { }

    /**
     * Seconds left after the given batch: the measured length of this run's finished epochs (which includes
     * scoring), or before the first epoch ends, the current throughput. NaN while nothing is known.
     * @param finished epochs this run has finished since it started (not those of an earlier session)
     */
    static double secondsLeft(TrainingEvent.Started started, TrainingEvent.BatchFinished batch,
                              List<TrainingEvent.EpochFinished> finished) {
        double epochSeconds = epochSeconds(started, batch, finished);
        if (!Double.isFinite(epochSeconds)) return Double.NaN;
        double leftInEpoch = 1.0 - (double) batch.batch() / batch.batchesPerEpoch();
        return (leftInEpoch + (started.lastEpoch() - batch.epoch())) * epochSeconds;
    }

    /**
     * Seconds left in a group of runs (a repeat or a cross-validation): this run's, and for each run after it the
     * mean length of the group's finished runs, or before one has finished, this run's whole length.
     */
    static double groupSecondsLeft(TrainingEvent.Started started, TrainingEvent.BatchFinished batch,
                                   List<TrainingEvent.EpochFinished> finished, int runsAfter, List<Double> finishedRunSeconds) {
        double thisRun = secondsLeft(started, batch, finished);
        if (runsAfter == 0 || !Double.isFinite(thisRun)) return thisRun;
        double perRun = finishedRunSeconds.isEmpty()
                ? (started.lastEpoch() - started.firstEpoch() + 1) * epochSeconds(started, batch, finished)
                : finishedRunSeconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return thisRun + runsAfter * perRun;
    }

    /** One epoch's measured length, or from the current throughput before an epoch has ended; NaN if unknown. */
    private static double epochSeconds(TrainingEvent.Started started, TrainingEvent.BatchFinished batch,
                                       List<TrainingEvent.EpochFinished> finished) {
        if (!finished.isEmpty()) return finished.stream().mapToDouble(TrainingEvent.EpochFinished::seconds).average().orElseThrow();
        return batch.samplesPerSecond() > 0 ? started.trainSamples() / batch.samplesPerSecond() : Double.NaN;
    }

    /** "about 2 min 10 s left", "less than 5 s left". */
    static String describe(double seconds) {
        if (!Double.isFinite(seconds)) return "estimating time left";
        if (seconds < 5) return "less than 5 s left";
        long s = Math.round(seconds);
        if (s < 60) return "about " + s + " s left";
        if (s < 3600) return "about " + s / 60 + " min " + (s % 60) + " s left";
        return "about " + s / 3600 + " h " + (s % 3600) / 60 + " min left";
    }
}
