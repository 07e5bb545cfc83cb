package kiln.engine.runs;

/** What a training run reports, as plain immutable records, from the training thread. */
public sealed interface TrainingEvent {

    record Started(String runId, int firstEpoch, int lastEpoch, int batchesPerEpoch, int trainSamples, int threads)
            implements TrainingEvent { }

    /** @param samplesPerSecond throughput over this epoch so far */
    record BatchFinished(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond)
            implements TrainingEvent { }

    /**
     * @param trainLoss     mean batch loss over the epoch while training (dropout on, includes L2)
     * @param trainAccuracy accuracy in inference mode on up to {@link kiln.engine.train.Trainer#TRAIN_SCORE_SAMPLES} training samples
     */
    record EpochFinished(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double seconds, double learningRate, boolean best)
            implements TrainingEvent { }

    /** How each layer learned in an epoch (sent just before that epoch's {@link EpochFinished}). */
    record LayersMeasured(int epoch, java.util.List<LayerDynamics> layers) implements TrainingEvent {
        public LayersMeasured {
            layers = java.util.List.copyOf(layers);
        }
    }

    /**
     * The two-phase recipe changes what trains, at the start of {@code epoch}.
     * @param headOnly true for the head epochs (only the new layers train), false for the fine-tuning after them
     * @param message  plain words for the student: which layers train from now on, and at what rate
     */
    record PhaseChanged(int epoch, boolean headOnly, String message) implements TrainingEvent { }

    enum Ending { COMPLETED, EARLY_STOPPED }

    record Finished(Ending ending, int bestEpoch, double testLoss, double testAccuracy, double seconds)
            implements TrainingEvent { }

    /** @param message plain words for the student: what happened and what to try */
    record Failed(String message) implements TrainingEvent { }

    /** Stopped by the user; the last finished epoch is checkpointed and can be continued. */
    record Cancelled(int epochsCompleted) implements TrainingEvent { }
}
