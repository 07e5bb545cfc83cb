package kiln.engine.catalog;

import kiln.engine.shape.TensorShape;

/** A layer's shape in the engine's memory layout: images (channels, height, width), vectors (size), sequences (steps, features). */
public final class EngineShapes {

    private EngineShapes() { }

    public static long[] of(TensorShape s) {
        return switch (s.kind()) {
            case IMAGE -> new long[] {s.channels(), s.height(), s.width()};
            case VECTOR -> new long[] {s.size()};
            case SEQUENCE -> new long[] {s.length(), s.features()};
        };
    }
}
