package kiln.engine.project;

import kiln.engine.data.BundledData;
import kiln.engine.runs.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A sample folder copied for a test as a student's copy has it: everything but the sample's own runs. */
public final class SampleCopies {

    private SampleCopies() { }

    public static Path copy(String sample, Path to) throws IOException {
        Path from = BundledData.sampleProjectsFolder().orElseThrow().resolve(sample);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = from.relativize(f);
                if (rel.startsWith(RunFolder.RUNS)) continue;
                Path dest = to.resolve(rel.toString());
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest);
            }
        }
        return to;
    }
}
