package kiln.engine.catalog;
/** Groups layer types in the palette; the canvas colours node headers by category. */
public enum Category {
    INPUT("Input"),
    CORE("Core"),
    CONVOLUTION("Convolution"),
    POOLING("Pooling"),
    NORMALIZATION("Normalization"),
    REGULARIZATION("Regularization"),
    ACTIVATION("Activation"),
    MERGE("Merge"),
    RECURRENT("Recurrent"),
    OUTPUT("Output");

    private final String displayName;

    Category(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
