package kiln.engine.catalog;
public final class AvgPool2D extends Pooling {

    public static final String ID = "avgpool2d";

    public AvgPool2D() {
        super(ID, "AvgPool2D", false,
                "Replaces each small window by its average, shrinking the image smoothly. Classic networks such "
                        + "as the original LeNet used it; max pooling is more common today. It has no weights to learn.");
    }
}
