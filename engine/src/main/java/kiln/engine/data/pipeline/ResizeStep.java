package kiln.engine.data.pipeline;

import kiln.engine.data.Dataset;
import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Optional;

/** Resizes every image to height × width (bilinear), e.g. 28×28 digits to LeNet's classic 32×32. */
public final class ResizeStep extends AbstractStep {

    public static final String ID = "resize";

    public ResizeStep() {
        super(ID, "Resize images", Kind.CLEANING, List.of(
                ParamSpec.integer("height", "Height", 32, 1, 1024, "New height in pixels."),
                ParamSpec.integer("width", "Width", 32, 1, 1024, "New width in pixels.")),
                "Brings every image to the same height and width with bilinear interpolation, so the data fits "
                        + "the network's Input. Changes the sample shape.");
    }

    @Override
    public Optional<String> checkInput(TensorShape in, StepParams params) {
        return needsImages(in);
    }

    @Override
    public TensorShape outputShape(TensorShape in, StepParams p) {
        return in.kind() == TensorShape.Kind.IMAGE ? TensorShape.image(p.getInt("height"), p.getInt("width"), in.channels()) : in;
    }

    @Override
    public Cleaner fit(Dataset train, StepParams params) {
        int oh = params.getInt("height");
        int ow = params.getInt("width");
        return Cleaner.of("resize to " + oh + "×" + ow + " (bilinear)", d -> {
            TensorShape in = d.sampleShape();
            if (in.height() == oh && in.width() == ow) {
                return new Cleaned(d, new CleaningReport(displayName(), new int[0], new int[0], new int[0],
                        "images are already " + oh + "×" + ow));
            }
            TensorShape out = TensorShape.image(oh, ow, in.channels());
            int perIn = d.sampleLength();
            int perOut = Math.toIntExact(out.elementCount());
            float[] f = new float[d.size() * perOut];
            for (int s = 0; s < d.size(); s++) Images.resize(d.features(), s * perIn, in, f, s * perOut, oh, ow);
            int[] all = java.util.stream.IntStream.range(0, d.size()).toArray();
            return new Cleaned(new Dataset(out, f, d.labels(), d.classNames(), d.source()),
                    new CleaningReport(displayName(), new int[0], all, new int[0],
                            "resized " + Cleaning.count(all.length, "image", "images") + " from " + in.height() + "×"
                                    + in.width() + " to " + oh + "×" + ow));
        });
    }
}
