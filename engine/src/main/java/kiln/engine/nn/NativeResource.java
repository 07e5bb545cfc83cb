package kiln.engine.nn;

/** Native objects a kernel makes in bind(); the plan frees them when it closes. */
interface NativeResource extends AutoCloseable {

    @Override
    void close();
}
