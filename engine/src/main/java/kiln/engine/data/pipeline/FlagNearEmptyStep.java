package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/** Points out images that are (nearly) one flat colour; keeps them, so the student decides. */
public final class FlagNearEmptyStep extends AbstractStep {

    public static final String ID = "flag_near_empty";

    public FlagNearEmptyStep() {
        super(ID, "Report near-empty images", Kind.CLEANING, List.of(
                ParamSpec.decimal("threshold", "Threshold", 0.02, 0, 0.5,
                        "An image is near-empty when the standard deviation of its pixels is below this fraction "
                                + "of the value range.")),
                "Lists images whose pixels barely vary (blank scans, all-black frames) so you can look at them. "
                        + "Changes nothing.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        return needsImages(in);
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        float limit = (float) params.getDouble("threshold") * ChannelRange.of(train).span();
        return Cleaner.of("reports images with pixel std below " + limit + " (kept)", d -> {
            int per = d.sampleLength();
            float[] f = d.features();
            boolean[] flag = new boolean[d.size()];
            for (int s = 0; s < d.size(); s++) {
                double sum = 0;
                double sumSq = 0;
                for (int i = s * per; i < s * per + per; i++) {
                    sum += f[i];
                    sumSq += (double) f[i] * f[i];
                }
                double mean = sum / per;
                flag[s] = Math.sqrt(Math.max(sumSq / per - mean * mean, 0)) < limit;
            }
            int[] flagged = Cleaning.indices(flag);
            return new Cleaned(d, new CleaningReport(displayName(), new int[0], new int[0], flagged,
                    "found " + Cleaning.count(flagged.length, "near-empty image", "near-empty images") + " (kept)"));
        });
    }
}
