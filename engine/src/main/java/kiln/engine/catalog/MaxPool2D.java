package kiln.engine.catalog;
public final class MaxPool2D extends Pooling {

    public static final String ID = "maxpool2d";

    public MaxPool2D() {
        super(ID, "MaxPool2D", true,
                "Keeps the largest value in each small window, shrinking the image while keeping the strongest "
                        + "responses. It makes the network tolerate small shifts and cuts the work for later layers. "
                        + "It has no weights to learn.");
    }
}
