package kiln.app.follow;

import kiln.engine.eval.TrainedModel;
import kiln.engine.runs.RunFolder;
import kiln.engine.runs.RunRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Whose weights a followed sample goes through: random ones, a run's best, or a run's epochs one by one. */
final class FollowChoices {

    private FollowChoices() { }

    enum Kind { UNTRAINED, BEST, EPOCHS }

    /** One entry of the weights list; {@code epochs} are those the run kept (for scrubbing). */
    record Choice(Kind kind, String runId, List<Integer> epochs, int bestEpoch) {
        static final Choice UNTRAINED = new Choice(Kind.UNTRAINED, null, List.of(), 0);

        /** Identifies the weights, with the epoch for scrubbing, for caching what was built from them. */
        String key(int epoch) {
            return kind == Kind.EPOCHS ? runId + "@" + epoch : kind + ":" + runId;
        }

        /** The model with these weights, sharing {@code base}'s data. */
        TrainedModel build(TrainedModel base, int epoch) throws TrainedModel.UnavailableException {
            return switch (kind) {
                case UNTRAINED -> base.withInitialWeights();
                case BEST -> base.withWeights(runId, TrainedModel.Weights.BEST, 0);
                case EPOCHS -> base.withWeights(runId, TrainedModel.Weights.LAST, epoch);
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case UNTRAINED -> "untrained (random weights)";
                case BEST -> runId + ": best epoch" + (bestEpoch > 0 ? " (" + bestEpoch + ")" : "");
                case EPOCHS -> runId + ": epoch by epoch";
            };
        }
    }

    /** The choices for a project folder: untrained first, then each trained run, newest first. */
    static List<Choice> list(Path folder) throws IOException {
        List<Choice> out = new ArrayList<>();
        out.add(Choice.UNTRAINED);
        if (folder == null) return out;
        List<RunFolder> runs = new ArrayList<>(RunFolder.list(folder).stream().filter(RunFolder::hasWeights).toList());
        java.util.Collections.reverse(runs);
        for (RunFolder run : runs) {
            int best = 0;
            try {
                RunRecord r = run.readRecord();
                best = r.bestEpoch();
            } catch (IOException e) {
                continue; // a run whose record cannot be read cannot be loaded either
            }
            out.add(new Choice(Kind.BEST, run.id(), List.of(), best));
            List<Integer> epochs = run.savedEpochs();
            // Runs from before Kiln kept each epoch offer only their best.
            if (!epochs.isEmpty()) out.add(new Choice(Kind.EPOCHS, run.id(), epochs, best));
        }
        return out;
    }
}
