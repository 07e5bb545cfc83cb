package kiln.engine.nn;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * oneDNN called directly through JavaCPP's dnnl preset, for the kernels where ND4J's own oneDNN calls waste
 * work (docs/decisions/0011-convolution-and-pooling-on-onednn.md). One instance holds what one kernel made in
 * bind(): a stream, memories over the plan's buffers and over buffers of its own in the layouts oneDNN chose,
 * primitive descriptors and primitives. Closing frees them all; the CPU engine lives as long as the process.
 */
final class Dnnl implements NativeResource {

    /** System property: {@code false} keeps convolution and pooling on ND4J's ops. */
    static final String PROPERTY = "kiln.engine.dnnl";

    /** DNNL_MEMORY_ALLOCATE: oneDNN allocates the buffer (aligned) and frees it with the memory. */
    private static final Pointer ALLOCATE = at(-1);

    private static dnnl_engine engine;

    /** A memory object and its layout. */
    record Memory(dnnl_memory handle, dnnl_memory_desc_t desc) { }

    /** One primitive with its arguments, ready to execute. */
    record Step(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) { }

    private final dnnl_stream stream;
    private final List<dnnl_memory> memories = new ArrayList<>();
    private final List<dnnl_primitive_desc> descriptors = new ArrayList<>();
    private final List<dnnl_primitive> primitives = new ArrayList<>();
    private final List<INDArray> arrays = new ArrayList<>();
    private final List<String> implementations = new ArrayList<>();

    Dnnl() {
        dnnl_engine cpu = engine();
        stream = new dnnl_stream();
        check(dnnl_stream_create(stream, cpu, dnnl_stream_default_flags), "create a stream");
    }

    /** oneDNN has no float64: double plans (the gradient checks) stay on ND4J. */
    static boolean enabled(DataType dtype) {
        return dtype == DataType.FLOAT && Boolean.parseBoolean(System.getProperty(PROPERTY, "true"));
    }

    private static synchronized dnnl_engine engine() {
        if (engine == null) {
            dnnl_engine e;
            try {
                e = new dnnl_engine();
            } catch (LinkageError error) {
                throw new IllegalStateException("oneDNN's native library did not load; -D" + PROPERTY
                        + "=false runs convolutions and pooling on ND4J's ops instead", error);
            }
            check(dnnl_engine_create(e, dnnl_cpu, 0), "create the CPU engine");
            engine = e;
        }
        return engine;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException("oneDNN could not " + what + " (status " + status + ")");
    }

    /** JavaCPP has no public way to make a pointer to a given address. */
    private static Pointer at(long target) {
        return new Pointer() {
            {
                address = target;
            }
        };
    }

    /** A row-major float32 array (x, nchw, oihw): the layout of ND4J's buffers. */
    static dnnl_memory_desc_t plain(long... dims) {
        return describe(dims, dims.length == 1 ? dnnl_a : dnnl_abcd);
    }

    /** A float32 array whose layout the primitive chooses. */
    static dnnl_memory_desc_t any(long... dims) {
        return describe(dims, dnnl_format_tag_any);
    }

    static dnnl_memory_desc_t describe(long[] dims, int tag) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "describe an array");
        return d;
    }

    /** A memory over a contiguous row-major ND4J array, which this object keeps reachable. */
    Memory over(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !rowMajor(a)) {
            throw new IllegalArgumentException("oneDNN needs a contiguous float array, not " + a.shapeInfoToString());
        }
        arrays.add(a);
        return memory(plain(a.shape()), at(a.data().platformAddress() + a.offset() * a.data().getElementSize()));
    }

    /** Dense and row-major; the stride of an axis of size 1 does not matter. */
    private static boolean rowMajor(INDArray a) {
        long expected = 1;
        for (int i = a.rank() - 1; i >= 0; i--) {
            if (a.size(i) != 1 && a.stride(i) != expected) return false;
            expected *= a.size(i);
        }
        return true;
    }

    /** A memory with a buffer of its own. */
    Memory allocate(dnnl_memory_desc_t desc) {
        return memory(desc, ALLOCATE);
    }

    private Memory memory(dnnl_memory_desc_t desc, Pointer handle) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, desc, engine(), handle), "create a memory");
        memories.add(m);
        return new Memory(m, desc);
    }

    /** A primitive descriptor for an operation; backward ones take their forward one as hint. */
    dnnl_primitive_desc primitiveDesc(Pointer operation, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(operation), null, engine(), hint),
                "find an implementation");
        descriptors.add(pd);
        return pd;
    }

    /** The layout a primitive chose for one of its arguments (what: a dnnl_query_*_md). */
    static dnnl_memory_desc_t layout(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }

    /** A primitive and its arguments (DNNL_ARG_* to memory). */
    Step step(dnnl_primitive_desc pd, Map<Integer, Memory> args) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "create a primitive");
        primitives.add(p);
        implementations.add(implementation(pd));
        dnnl_exec_arg_t a = new dnnl_exec_arg_t(args.size());
        int i = 0;
        for (Map.Entry<Integer, Memory> e : args.entrySet()) a.position(i++).arg(e.getKey()).memory(e.getValue().handle());
        return new Step(p, a.position(0), args.size());
    }

    private static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "name an implementation");
        return name.get(BytePointer.class).getString();
    }

    /** One array of the plan and its copies in the layouts primitives asked for, each made once. */
    final class Array {

        private final List<Memory> forms = new ArrayList<>();

        Array(INDArray a) {
            forms.add(over(a));
        }

        /**
         * The array in layout desc: the plan's buffer, a copy an earlier step fills, or a new copy filled by a
         * reorder appended to steps.
         */
        Memory in(dnnl_memory_desc_t desc, List<Step> steps) {
            for (Memory m : forms) if (dnnl_memory_desc_equal(m.desc(), desc) != 0) return m;
            Memory copy = allocate(desc);
            copy(forms.get(0), copy, steps);
            forms.add(copy);
            return copy;
        }
    }

    /** Where a primitive writes an array in layout desc: the plan's buffer itself if it has that layout. */
    Memory target(Memory plain, dnnl_memory_desc_t desc) {
        return dnnl_memory_desc_equal(plain.desc(), desc) != 0 ? plain : allocate(desc);
    }

    /** Appends a reorder from one memory to another, unless they are the same. */
    void copy(Memory from, Memory to, List<Step> steps) {
        if (from == to) return;
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from.desc(), engine(), to.desc(), engine(), null), "reorder");
        descriptors.add(pd);
        steps.add(step(pd, Map.of(DNNL_ARG_FROM, from, DNNL_ARG_TO, to)));
    }

    /**
     * Makes a primitive descriptor or primitive for one OpenMP thread: a primitive runs on as many threads as were
     * in force when it was made (its cache key includes the count, so make both under the same count). oneDNN
     * runs on ND4J's OpenMP runtime (the process loads one libgomp), so ND4J sets the count.
     */
    static <T> T singleThreaded(Supplier<T> make) {
        NativeOps omp = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int threads = omp.ompGetMaxThreads();
        omp.setOmpNumThreads(1);
        try {
            return make.get();
        } finally {
            omp.setOmpNumThreads(threads);
        }
    }

    void run(List<Step> steps) {
        for (Step s : steps) check(dnnl_primitive_execute(s.primitive(), stream, s.count(), s.args()), "execute a primitive");
        check(dnnl_stream_wait(stream), "finish a stream");
    }

    /** The oneDNN implementation of each primitive made so far ("ref:any" would be a slow reference kernel). */
    List<String> implementations() {
        return List.copyOf(implementations);
    }

    @Override
    public void close() {
        for (dnnl_primitive p : primitives) check(dnnl_primitive_destroy(p), "free a primitive");
        for (dnnl_primitive_desc pd : descriptors) check(dnnl_primitive_desc_destroy(pd), "free a primitive descriptor");
        for (dnnl_memory m : memories) check(dnnl_memory_destroy(m), "free a memory");
        check(dnnl_stream_destroy(stream), "free a stream");
        primitives.clear();
        descriptors.clear();
        memories.clear();
        arrays.clear();
    }
}
