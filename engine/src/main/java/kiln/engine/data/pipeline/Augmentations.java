package kiln.engine.data.pipeline;

import kiln.engine.params.ParamSpec;
import kiln.engine.shape.TensorShape;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The augmentation step types. Defaults suit 28×28 digits and 32×32 colour photos: small rotations and
 * shifts keep a digit readable; flips suit photos, not digits (a mirrored 2 is not a 2).
 */
public final class Augmentations {

    private Augmentations() { }

    public static final class Rotate extends AugmentStep {
        public static final String ID = "rotate";

        public Rotate() {
            super(ID, "Random rotation", "Turns each image by a random angle up to ± Max angle around its centre.",
                    List.of(ParamSpec.decimal("degrees", "Max angle (°)", 10, 0, 180,
                            "The largest turn either way; 10–15° suits digits, more can turn a 6 into a 9.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            Images.warp(v, off, s, symmetric(rnd, p.getDouble("degrees")), 1, 0, 0, r.min);
        }

        @Override
        String describe(StepParams p) {
            return "rotate by up to ±" + p.getDouble("degrees") + "°";
        }
    }

    public static final class Flip extends AugmentStep {
        public static final String ID = "flip";

        public Flip() {
            super(ID, "Random flip", "Mirrors images left–right and/or top–bottom, each with a probability. "
                            + "Good for photos; wrong for digits and letters.",
                    List.of(ParamSpec.bool("horizontal", "Left–right", true, "Mirror left to right."),
                            ParamSpec.bool("vertical", "Top–bottom", false, "Mirror top to bottom (rarely right for photos)."),
                            ParamSpec.decimal("probability", "Probability", 0.5, 0, 1, "Chance of each flip per image.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            double prob = p.getDouble("probability");
            // draw both coins every time, so switching one flip off does not change the other's draws
            boolean h = rnd.nextDouble() < prob;
            boolean vert = rnd.nextDouble() < prob;
            if (p.getBoolean("horizontal") && h) Images.flipHorizontal(v, off, s);
            if (p.getBoolean("vertical") && vert) Images.flipVertical(v, off, s);
        }

        @Override
        String describe(StepParams p) {
            String which = p.getBoolean("horizontal") && p.getBoolean("vertical") ? "left–right and top–bottom"
                    : p.getBoolean("horizontal") ? "left–right" : p.getBoolean("vertical") ? "top–bottom" : "nothing";
            return "flip " + which + " with probability " + p.getDouble("probability");
        }
    }

    public static final class Shift extends AugmentStep {
        public static final String ID = "shift";

        public Shift() {
            super(ID, "Random shift", "Moves each image by a random amount up to a fraction of its width and height.",
                    List.of(ParamSpec.decimal("fraction", "Max shift", 0.1, 0, 0.5,
                            "Largest move as a fraction of the size: 0.1 is about 3 pixels on 28×28.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            double f = p.getDouble("fraction");
            Images.warp(v, off, s, 0, 1, symmetric(rnd, f * s.width()), symmetric(rnd, f * s.height()), r.min);
        }

        @Override
        String describe(StepParams p) {
            return "shift by up to ±" + Math.round(p.getDouble("fraction") * 100) + " % of the size";
        }
    }

    public static final class Zoom extends AugmentStep {
        public static final String ID = "zoom";

        public Zoom() {
            super(ID, "Random zoom", "Scales each image about its centre by a random factor between 1 − Amount and 1 + Amount.",
                    List.of(ParamSpec.decimal("amount", "Amount", 0.1, 0, 0.9, "0.1 zooms between 90 % and 110 %.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            Images.warp(v, off, s, 0, 1 + symmetric(rnd, p.getDouble("amount")), 0, 0, r.min);
        }

        @Override
        String describe(StepParams p) {
            return String.format(Locale.ROOT, "zoom between %.0f %% and %.0f %%", 100 * (1 - p.getDouble("amount")),
                    100 * (1 + p.getDouble("amount")));
        }
    }

    public static final class PadCrop extends AugmentStep {
        public static final String ID = "pad_crop";

        public PadCrop() {
            super(ID, "Random crop with padding", "Pads the image with black on every side and cuts a random window "
                            + "of the original size: a shift by whole pixels (the classic CIFAR-10 recipe uses 4).",
                    List.of(ParamSpec.integer("padding", "Padding (px)", 4, 1, 64, "Pixels added on every side; 2–4 suits 28×28 and 32×32.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            int pad = p.getInt("padding");
            Images.shiftWhole(v, off, s, rnd.nextInt(-pad, pad + 1), rnd.nextInt(-pad, pad + 1), r.min);
        }

        @Override
        String describe(StepParams p) {
            return "pad by " + p.getInt("padding") + " px and crop back at a random place";
        }
    }

    public static final class BrightnessContrast extends AugmentStep {
        public static final String ID = "brightness_contrast";

        public BrightnessContrast() {
            super(ID, "Random brightness and contrast", "Brightens or darkens each image and stretches or flattens "
                            + "its contrast by random amounts; values stay within the training data's range.",
                    List.of(ParamSpec.decimal("brightness", "Brightness", 0.2, 0, 1,
                                    "Largest change as a fraction of the value range (0.2 = ±20 %)."),
                            ParamSpec.decimal("contrast", "Contrast", 0.2, 0, 0.99,
                                    "Contrast is multiplied by a factor between 1 − this and 1 + this.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            float delta = (float) (symmetric(rnd, p.getDouble("brightness")) * r.span());
            float factor = (float) (1 + symmetric(rnd, p.getDouble("contrast")));
            int per = Math.toIntExact(s.elementCount());
            double sum = 0;
            for (int i = off; i < off + per; i++) sum += v[i];
            float mean = (float) (sum / per);
            for (int i = off; i < off + per; i++) v[i] = mean + (v[i] - mean) * factor + delta;
            Images.clip(v, off, s, r.min, r.max);
        }

        @Override
        String describe(StepParams p) {
            return "brightness ±" + Math.round(p.getDouble("brightness") * 100) + " %, contrast ×(1 ± "
                    + p.getDouble("contrast") + ")";
        }
    }

    public static final class Noise extends AugmentStep {
        public static final String ID = "noise";

        public Noise() {
            super(ID, "Gaussian noise", "Adds random noise to every value; values stay within the training data's range.",
                    List.of(ParamSpec.decimal("std", "Strength", 0.05, 0, 1,
                            "Standard deviation of the noise as a fraction of the value range (0.05 = 5 %).")));
        }

        @Override
        public java.util.Optional<String> checkInput(TensorShape in, StepParams params) {
            return java.util.Optional.empty(); // noise suits table rows too
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            double std = p.getDouble("std") * r.span();
            int per = Math.toIntExact(s.elementCount());
            for (int i = off; i < off + per; i += 2) {
                // Box–Muller gives two normal draws per pair of uniforms
                double u1 = 1 - rnd.nextDouble();
                double u2 = rnd.nextDouble();
                double m = std * Math.sqrt(-2 * Math.log(u1));
                v[i] += (float) (m * Math.cos(2 * Math.PI * u2));
                if (i + 1 < off + per) v[i + 1] += (float) (m * Math.sin(2 * Math.PI * u2));
            }
            Images.clip(v, off, s, r.min, r.max);
        }

        @Override
        String describe(StepParams p) {
            return "add Gaussian noise with std " + Math.round(p.getDouble("std") * 100) + " % of the value range";
        }
    }

    public static final class Cutout extends AugmentStep {
        public static final String ID = "cutout";

        public Cutout() {
            super(ID, "Cutout", "Blacks out a random square in each image (with a probability), so the network "
                            + "cannot rely on one small part.",
                    List.of(ParamSpec.integer("size", "Square (px)", 8, 1, 256, "Side of the square; 8 suits 28×28, 8–16 suits 32×32."),
                            ParamSpec.decimal("probability", "Probability", 0.5, 0, 1, "Chance that an image gets a square.")));
        }

        @Override
        void augment(float[] v, int off, TensorShape s, SplittableRandom rnd, ChannelRange r, StepParams p) {
            double draw = rnd.nextDouble();
            int cy = rnd.nextInt(s.height());
            int cx = rnd.nextInt(s.width());
            if (draw >= p.getDouble("probability")) return;
            int size = p.getInt("size");
            int y0 = Math.max(0, cy - size / 2);
            int x0 = Math.max(0, cx - size / 2);
            int y1 = Math.min(s.height(), cy - size / 2 + size);
            int x1 = Math.min(s.width(), cx - size / 2 + size);
            int plane = s.height() * s.width();
            for (int c = 0; c < s.channels(); c++) {
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) v[off + c * plane + y * s.width() + x] = r.min[c];
                }
            }
        }

        @Override
        String describe(StepParams p) {
            return "black out a " + p.getInt("size") + "×" + p.getInt("size") + " square with probability " + p.getDouble("probability");
        }
    }
}
