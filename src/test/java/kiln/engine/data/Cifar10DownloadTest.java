package kiln.engine.data;

import com.sun.net.httpserver.HttpServer;
import kiln.engine.util.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CIFAR-10 download against a local HTTP server that serves a generated archive in the official
 * format (this machine and CI have no internet, and CIFAR-10 itself is never stored in the repository).
 */
class Cifar10DownloadTest {

    private static final int PER_FILE = 30;

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) server.stop(0);
    }

    /** Serves {@code body} at /cifar-10-binary.tar.gz with its length, like the official server. */
    private URI serve(byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/cifar-10-binary.tar.gz")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException clientWentAway) {
                // the cancel test closes the connection early
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
    }

    private static class Recorder implements Progress {
        final List<Double> fractions = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        volatile boolean cancelled;

        @Override
        public synchronized void update(double fraction, String message) {
            fractions.add(fraction);
            messages.add(message);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    private static List<Path> contents(Path folder) throws IOException {
        if (!Files.exists(folder)) return List.of();
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    @Test
    void downloadsChecksUnpacksAndMovesTheFolderIntoPlace() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        URI url = serve(archive);
        Path target = dir.resolve("Kiln/datasets/cifar-10-batches-bin");
        Recorder progress = new Recorder();

        Path done = new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, progress);

        assertEquals(target.toAbsolutePath(), done);
        assertEquals(List.of(target), contents(target.getParent()), "only the finished folder, no temporary files");
        assertEquals(List.of(), Cifar10Download.check(target, PER_FILE));
        Dataset[] data = Cifar10Reader.read(target, Progress.NONE);
        assertEquals(5 * PER_FILE, data[0].size());
        assertEquals(PER_FILE, data[1].size());
        assertTrue(progress.messages.stream().anyMatch(m -> m.startsWith("Downloading CIFAR-10:")), progress.messages.toString());
        assertTrue(progress.messages.stream().anyMatch(m -> m.startsWith("Unpacking")), progress.messages.toString());
        assertEquals(1.0, progress.fractions.get(progress.fractions.size() - 1));
        double last = -1;
        for (double f : progress.fractions) {
            if (f >= 0) {
                assertTrue(f >= last, "progress never goes back: " + progress.fractions);
                last = f;
            }
        }
    }

    @Test
    void aDamagedDownloadIsRefusedAndLeavesNothingBehind() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        URI url = serve(archive);
        Path target = dir.resolve("datasets/cifar-10-batches-bin");
        String wrongMd5 = "0123456789abcdef0123456789abcdef";

        var e = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, wrongMd5, PER_FILE).download(target, Progress.NONE));

        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains(wrongMd5)
                && e.getMessage().contains(CifarArchives.md5(archive)) && e.getMessage().contains("try again"), e.getMessage());
        assertEquals(List.of(), contents(target.getParent()), "no archive, no half-unpacked folder");
    }

    @Test
    void cancellingStopsTheDownloadAndLeavesNothingBehind() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        URI url = serve(archive);
        Path target = dir.resolve("datasets/cifar-10-batches-bin");
        Recorder progress = new Recorder() {
            @Override
            public synchronized void update(double fraction, String message) {
                super.update(fraction, message);
                cancelled = true; // the user presses Cancel as soon as anything is shown
            }
        };

        assertThrows(Progress.CancelledException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, progress));

        assertEquals(List.of(), contents(target.getParent()));
        assertFalse(progress.messages.stream().anyMatch(m -> m.startsWith("Unpacking")), progress.messages.toString());
    }

    /** Serves the first half of {@code body}, then sends nothing until the test ends. */
    private URI serveHalfThenStall(byte[] body, Runnable halfSent) throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, 0, body.length / 2);
                out.flush();
                halfSent.run();
                release.await(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException clientWentAway) {
                // the client gave up, as it should
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        stopStalledServer = release::countDown;
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
    }

    private Runnable stopStalledServer = () -> { };

    @AfterEach
    void releaseStalledServer() {
        stopStalledServer.run();
    }

    @Test
    void cancelWorksWhileTheServerSendsNothing() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        Recorder progress = new Recorder();
        URI url = serveHalfThenStall(archive, () -> {
            try {
                Thread.sleep(500); // the client has read the first half and waits for more
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.cancelled = true;
        });
        Path target = dir.resolve("datasets/cifar-10-batches-bin");

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(Progress.CancelledException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, progress)));
        assertEquals(List.of(), contents(target.getParent()));
    }

    @Test
    void aStalledConnectionIsGivenUpWithAPlainMessage() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        URI url = serveHalfThenStall(archive, () -> { });
        Path target = dir.resolve("datasets/cifar-10-batches-bin");

        String m = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).stallAfter(Duration.ofSeconds(1))
                        .download(target, Progress.NONE))).getMessage();

        assertTrue(m.contains("stalled: no data for 1 seconds after " + archive.length / 2 + " bytes; try again"), m);
        assertEquals(List.of(), contents(target.getParent()));
    }

    @Test
    void withoutAServerTheMessageSaysWhatToFetchAndWhereToPutIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now, and nobody listens once closed
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/cifar-10-binary.tar.gz");
        Path target = dir.resolve("datasets/cifar-10-batches-bin");

        String m = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, Cifar10Download.OFFICIAL_MD5, PER_FILE).download(target, Progress.NONE)).getMessage();

        assertTrue(m.startsWith("cannot reach 127.0.0.1"), m);
        assertTrue(m.contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")
                && m.contains(Cifar10Download.OFFICIAL_MD5) && m.contains("tar xzf cifar-10-binary.tar.gz")
                && m.contains(Cifar10Download.standardFolder().toString()), m);
        assertEquals(List.of(), contents(target.getParent()));
    }

    @Test
    void aServerErrorIsReportedWithItsStatus() throws Exception {
        URI url = serve(new byte[10]).resolve("/elsewhere.tar.gz");
        Path target = dir.resolve("datasets/cifar-10-batches-bin");

        String m = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, Cifar10Download.OFFICIAL_MD5, PER_FILE).download(target, Progress.NONE)).getMessage();

        assertTrue(m.contains("answered 404"), m);
        assertEquals(List.of(), contents(target.getParent()));
    }

    @Test
    void anExistingFolderIsNeverOverwritten() throws Exception {
        byte[] archive = CifarArchives.cifarLike(PER_FILE);
        URI url = serve(archive);
        Path target = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.writeString(target.resolve("notes.txt"), "mine");

        String m = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, Progress.NONE)).getMessage();

        assertTrue(m.contains("already exists and is not empty"), m);
        assertEquals("mine", Files.readString(target.resolve("notes.txt")));
    }

    @Test
    void anArchiveWithAPathOutsideItsFolderIsRefused() throws Exception {
        byte[] archive = CifarArchives.tarGz(Map.of("../escaped.bin", "x".getBytes(StandardCharsets.US_ASCII)));
        URI url = serve(archive);
        Path target = dir.resolve("inner/cifar-10-batches-bin");

        String m = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, Progress.NONE)).getMessage();

        assertTrue(m.contains("outside its folder"), m);
        assertEquals(List.of(), contents(target.getParent()));
        assertFalse(Files.exists(dir.resolve("escaped.bin")));
    }

    @Test
    void anArchiveWithoutTheBatchesIsRefused() throws Exception {
        byte[] archive = CifarArchives.tarGz(Map.of("cifar-10-batches-bin/readme.html", new byte[100]));
        URI url = serve(archive);
        Path target = dir.resolve("d/cifar-10-batches-bin");

        String m = assertThrows(Cifar10Download.DownloadException.class,
                () -> new Cifar10Download(url, CifarArchives.md5(archive), PER_FILE).download(target, Progress.NONE)).getMessage();

        assertTrue(m.contains("does not hold the CIFAR-10 binary version") && m.contains("data_batch_1.bin is missing"), m);
        assertEquals(List.of(), contents(target.getParent()));
    }

    /** Sparse files of the real sizes: 10,000 records of 3,073 bytes each, without writing 184 MB. */
    private static void realSizedFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<String> names = new ArrayList<>(Cifar10Reader.TRAIN_FILES);
        names.add(Cifar10Reader.TEST_FILE);
        for (String n : names) {
            try (RandomAccessFile f = new RandomAccessFile(folder.resolve(n).toFile(), "rw")) {
                f.setLength(30_730_000L);
            }
        }
    }

    @Test
    void locatingACopyAcceptsTheFolderOrItsParentAndNamesWhatIsWrong() throws Exception {
        Path batches = dir.resolve("downloads/cifar-10-batches-bin");
        realSizedFolder(batches);

        assertEquals(batches, Cifar10Download.locate(batches));
        assertEquals(batches, Cifar10Download.locate(dir.resolve("downloads")));

        try (RandomAccessFile f = new RandomAccessFile(batches.resolve("data_batch_3.bin").toFile(), "rw")) {
            f.setLength(1_000_000);
        }
        Files.delete(batches.resolve("test_batch.bin"));
        String m = assertThrows(DataFormatException.class, () -> Cifar10Download.locate(batches)).getMessage();
        assertTrue(m.contains("data_batch_3.bin is 1000000 bytes instead of 30730000") && m.contains("test_batch.bin is missing"), m);
    }

    @Test
    void readingAMissingFolderOffersTheDownloadAndTheCopy() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("nothing"));

        var e = assertThrows(Cifar10MissingException.class, () -> Cifar10Reader.read(empty, Progress.NONE));

        assertEquals(empty.toAbsolutePath(), e.folder());
        assertEquals(6, e.missingFiles().size());
        assertTrue(e.getMessage().contains("data cifar10 --download --to " + empty.toAbsolutePath())
                && e.getMessage().contains("--locate DIR --project PROJECT")
                && e.getMessage().contains(Cifar10Download.OFFICIAL_URL.toString()), e.getMessage());
    }
}
