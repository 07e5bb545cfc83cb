package kiln.engine.model;

/**
 * A connection from the output of one layer to an input port of another.
 * @param toPort index of the input port, 0 for single-input layers; merges order their inputs by port
 */
public record Edge(String from, String to, int toPort) { }
