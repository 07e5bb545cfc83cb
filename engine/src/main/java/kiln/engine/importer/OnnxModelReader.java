package kiln.engine.importer;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an ONNX model with the ONNX protobuf classes (Tribuo's) and checks what the importer relies on before
 * anything is converted: the file is whole, the default-domain opset is 11 to 18, every weight is stored inside the
 * file with as many values as its dimensions say, and the graph has one input and one output.
 */
public final class OnnxModelReader {

    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 18;
    /** Protobuf messages cannot be larger; bigger models keep their weights in external files, which Kiln refuses. */
    static final long MAX_BYTES = Integer.MAX_VALUE;

    private OnnxModelReader() { }

    /** The model in {@code file}, checked; nothing else is read (external data files never are). */
    public static OnnxMl.ModelProto read(Path file) throws ImportException {
        String where = file.getFileName().toString();
        if (!Files.isRegularFile(file)) throw new ImportException(file + " is not a file; name an .onnx model file.");
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0) throw new ImportException(where + " is empty; export the model again.");
            if (size > MAX_BYTES) {
                throw new ImportException(where + " is " + size + " bytes, more than an ONNX file can hold without "
                        + "external data, which Kiln does not import.");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImportException(where + " cannot be read: " + e.getMessage());
        }
        OnnxMl.ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            model = OnnxMl.ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(where + " is not a whole ONNX model (" + e.getMessage().replaceAll("\\s+", " ")
                    + "); it may be truncated or not an ONNX file at all. Copy or export it again.");
        } catch (IOException e) {
            throw new ImportException(where + " cannot be read: " + e.getMessage());
        }
        check(model, where);
        return model;
    }

    static void check(OnnxMl.ModelProto model, String where) throws ImportException {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new ImportException(where + " holds no graph; it may be truncated or not an ONNX model. Export it again.");
        }
        int opset = opset(model, where);
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ImportException(where + " uses ONNX opset " + opset + "; Kiln imports opsets " + MIN_OPSET + " to "
                    + MAX_OPSET + ". Export it again with an opset in that range (torch.onnx.export(..., opset_version=13)).");
        }
        OnnxMl.GraphProto g = model.getGraph();
        if (g.getSparseInitializerCount() > 0) {
            throw new ImportException(where + " has sparse weights (" + g.getSparseInitializer(0).getValues().getName()
                    + "); Kiln imports dense weights only. Export the model without sparse initializers.");
        }
        Set<String> names = new HashSet<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (!names.add(t.getName())) {
                throw new ImportException(where + " stores the weight '" + t.getName() + "' twice; the file is damaged.");
            }
            checkTensor(t, where + ", weight '" + t.getName() + "'");
        }
        if (g.getOutputCount() != 1) {
            throw new ImportException(where + " has " + g.getOutputCount() + " outputs; Kiln imports a model with one "
                    + "output (its predictions).");
        }
    }

    /** The version of the default (ai.onnx) operator set the model uses. */
    static int opset(OnnxMl.ModelProto model, String where) throws ImportException {
        for (OnnxMl.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || "ai.onnx".equals(o.getDomain())) return (int) Math.min(o.getVersion(), Integer.MAX_VALUE);
        }
        throw new ImportException(where + " names no ONNX operator set; it may be truncated. Export it again.");
    }

    /** Refuses external data, unknown element types and data whose length does not match the dimensions. */
    static void checkTensor(OnnxMl.TensorProto t, String where) throws ImportException {
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new ImportException(where + " is stored in an external data file; Kiln imports only models whose "
                    + "weights are inside the .onnx file. Save it as one file (onnx.save_model(m, path, "
                    + "save_as_external_data=False)).");
        }
        long count = elementCount(t, where);
        int type = t.getDataType();
        long stored;
        if (type == OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            stored = t.getRawData().isEmpty() ? t.getFloatDataCount() : t.getRawData().size() / (long) Float.BYTES;
            if (!t.getRawData().isEmpty() && t.getRawData().size() % Float.BYTES != 0) stored = -1;
        } else if (type == OnnxMl.TensorProto.DataType.INT64.getNumber()) {
            stored = t.getRawData().isEmpty() ? t.getInt64DataCount() : t.getRawData().size() / (long) Long.BYTES;
            if (!t.getRawData().isEmpty() && t.getRawData().size() % Long.BYTES != 0) stored = -1;
        } else {
            throw new ImportException(where + " has element type " + typeName(type) + "; Kiln imports float32 weights "
                    + "(and int64 shapes). Export the model in float32.");
        }
        if (stored != count) {
            throw new ImportException(where + " should hold " + count + " values for its dimensions " + t.getDimsList()
                    + " but holds " + (stored < 0 ? "a broken number of bytes" : stored) + "; the file is damaged. Export it again.");
        }
    }

    static long elementCount(OnnxMl.TensorProto t, String where) throws ImportException {
        long count = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) throw new ImportException(where + " has the negative dimension " + d + "; the file is damaged.");
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new ImportException(where + " has dimensions " + t.getDimsList() + " too large to hold; the file is damaged.");
            }
        }
        if (count > Integer.MAX_VALUE) throw new ImportException(where + " has " + count + " values, more than Kiln can hold.");
        return count;
    }

    /** A float32 tensor's values (after {@link #checkTensor}). */
    static float[] floats(OnnxMl.TensorProto t, String where) throws ImportException {
        checkTensor(t, where);
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
            throw new ImportException(where + " holds " + typeName(t.getDataType()) + " values where float32 weights belong.");
        }
        if (t.getRawData().isEmpty()) {
            List<Float> list = t.getFloatDataList();
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = list.get(i);
            return out;
        }
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** An int64 tensor's values, such as a Reshape's target shape (after {@link #checkTensor}). */
    static long[] longs(OnnxMl.TensorProto t, String where) throws ImportException {
        checkTensor(t, where);
        if (t.getDataType() != OnnxMl.TensorProto.DataType.INT64.getNumber()) {
            throw new ImportException(where + " holds " + typeName(t.getDataType()) + " values where int64 values belong.");
        }
        if (t.getRawData().isEmpty()) return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / Long.BYTES];
        b.asLongBuffer().get(out);
        return out;
    }

    static String typeName(int type) {
        OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
        return t == null ? "number " + type : t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
