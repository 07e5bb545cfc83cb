package kiln.engine.catalog;
/**
 * A repair for a shape problem: insert a layer of the given type in front of the layer's first input.
 * @param insertTypeId catalog id of the layer to insert
 * @param description  what the button says, e.g. "Insert Flatten before dense1"
 */
public record SuggestedFix(String insertTypeId, String description) { }
