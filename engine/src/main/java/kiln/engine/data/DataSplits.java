package kiln.engine.data;

/** The three disjoint parts of a data set: fit on train, choose settings on validation, report on test. */
public record DataSplits(Dataset train, Dataset validation, Dataset test) { }
