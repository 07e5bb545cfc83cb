package kiln.engine.weights;

import java.util.Arrays;
import java.util.Optional;

/** The number types Kiln reads and writes, named as in safetensors headers. */
public enum DType {
    F32(Float.BYTES),
    F64(Double.BYTES),
    I64(Long.BYTES);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type with this header name; empty for types Kiln does not read, such as BF16 or U8. */
    static Optional<DType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }
}
