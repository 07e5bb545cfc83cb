package kiln.engine;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds a Python for the tests that check Kiln's files against Python libraries (torch, numpy, safetensors). */
public final class PythonWith {

    private PythonWith() { }

    /** The first of KILN_TORCH_PYTHON, the torch venv and python3 that runs {@code imports} (e.g. "import numpy"). */
    public static Optional<String> find(String imports) {
        for (String candidate : new String[] {System.getenv("KILN_TORCH_PYTHON"), "/tmp/torch-venv/bin/python", "python3"}) {
            if (candidate == null || candidate.isBlank()) continue;
            try {
                Process p = new ProcessBuilder(candidate, "-c", imports).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return Optional.of(candidate);
            } catch (IOException e) {
                // no such program: try the next candidate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
