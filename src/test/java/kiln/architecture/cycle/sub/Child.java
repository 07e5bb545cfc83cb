package kiln.architecture.cycle.sub;

import kiln.architecture.cycle.Parent;

/** Uses its parent package back, closing the cycle that ArchitectureTest must see. */
public class Child {
    Parent parent;
}
