package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

import java.util.Optional;

/** What a layer's shape rule says: an output shape, or a plain-words problem with an optional one-click fix. */
public sealed interface ShapeResult {

    record Ok(TensorShape shape) implements ShapeResult { }

    /**
     * @param problem what is wrong, without the layer's name (the caller adds it)
     * @param fix     a repair the editor can apply, if there is an obvious one
     */
    record Problem(String problem, Optional<SuggestedFix> fix) implements ShapeResult { }

    static ShapeResult ok(TensorShape shape) {
        return new Ok(shape);
    }

    static ShapeResult problem(String text) {
        return new Problem(text, Optional.empty());
    }

    static ShapeResult problem(String text, SuggestedFix fix) {
        return new Problem(text, Optional.of(fix));
    }
}
