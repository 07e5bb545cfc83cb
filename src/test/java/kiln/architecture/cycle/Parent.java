package kiln.architecture.cycle;

import kiln.architecture.cycle.sub.Child;

/** A parent package that uses its sub-package, which uses it back: ArchitectureTest proves its cycle rule sees this. */
public class Parent {
    Child child;
}
