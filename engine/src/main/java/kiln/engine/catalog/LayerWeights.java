package kiln.engine.catalog;
/**
 * The trained parameters of one layer, as the training engine keeps them ("W", "b", "gamma", "mean",
 * "log10stdev", ...), for the exporters. Values are in row-major (C) order of {@link #shape}.
 */
public interface LayerWeights {

    boolean has(String key);

    float[] values(String key);

    long[] shape(String key);
}
