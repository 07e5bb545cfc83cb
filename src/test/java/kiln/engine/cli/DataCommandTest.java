package kiln.engine.cli;

import kiln.engine.data.BundledData;
import kiln.engine.data.DataSourceSpec;
import kiln.engine.project.ProjectIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static kiln.engine.cli.CliRun.kiln;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `kiln data cifar10`: checking a copy, pointing a project at it, and a download that cannot connect. */
class DataCommandTest {

    @TempDir
    Path dir;

    @Test
    void locateChecksTheCopyAndPointsTheProjectAtIt() throws Exception {
        Path batches = Files.createDirectories(dir.resolve("copy/cifar-10-batches-bin"));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            try (RandomAccessFile r = new RandomAccessFile(batches.resolve(f).toFile(), "rw")) {
                r.setLength(30_730_000L); // sparse: the real size without the real photos
            }
        }
        Path project = Files.createDirectories(dir.resolve("lenet"));
        Files.copy(BundledData.sampleProjectsFolder().orElseThrow().resolve("cifar10-lenet/project.json"),
                project.resolve("project.json"));

        CliRun r = kiln("data", "cifar10", "--locate", dir.resolve("copy").toString(), "--project", project.toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CIFAR-10 is complete in " + batches), r.out());
        assertEquals(new DataSourceSpec.Cifar10(batches.toString()), ProjectIO.load(project).data());
    }

    @Test
    void locateNamesWhatIsWrongAndLeavesTheProjectAlone() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Path project = Files.createDirectories(dir.resolve("lenet"));
        Path sample = BundledData.sampleProjectsFolder().orElseThrow().resolve("cifar10-lenet/project.json");
        Files.copy(sample, project.resolve("project.json"));

        CliRun r = kiln("data", "cifar10", "--locate", dir.resolve("empty").toString(), "--project", project.toString());

        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("kiln: ") && r.err().contains("data_batch_1.bin is missing"), r.err());
        assertEquals(Files.readString(sample), Files.readString(project.resolve("project.json")));
    }

    @Test
    void anUnreachableServerGivesTheOfflineInstructions() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path to = dir.resolve("datasets/cifar-10-batches-bin");

        CliRun r = kiln("data", "cifar10", "--download", "--to", to.toString(),
                "--from", "http://127.0.0.1:" + port + "/cifar-10-binary.tar.gz");

        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("kiln: cannot reach 127.0.0.1") && r.err().contains("tar xzf cifar-10-binary.tar.gz")
                && r.err().contains("c32a1d4ab5d03f1284b67883e8d87530"), r.err());
        assertFalse(Files.exists(to));
    }

    @Test
    void oneActionIsRequired() {
        CliRun r = kiln("data", "cifar10");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--download") && r.err().contains("--locate"), r.err());
    }
}
