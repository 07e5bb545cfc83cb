package kiln.engine.data;

import kiln.engine.util.Progress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Gets the CIFAR-10 binary version onto this computer: downloads the official archive with progress and
 * cancel, checks its MD5, unpacks it and moves the folder into place only when it is complete, so a
 * failed or cancelled download leaves nothing behind. Also checks a copy the user already has.
 */
public final class Cifar10Download {

    public static final URI OFFICIAL_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public static final String FOLDER_NAME = "cifar-10-batches-bin";
    /** Where the samples expect CIFAR-10, as written in their project.json (see {@link DataLoader#resolve}). */
    public static final String STANDARD_LOCATION = "~/Kiln/datasets/" + FOLDER_NAME;
    public static final int RECORDS_PER_FILE = 10_000;
    /** A connection that sends nothing for this long is given up. */
    static final Duration STALL = Duration.ofSeconds(60);
    private static final long WATCH_MILLIS = 200;

    private final URI url;
    private final String md5;
    private final int recordsPerFile;
    private final HttpClient client;
    private Duration stall = STALL;

    /** The official archive. */
    public Cifar10Download() {
        this(OFFICIAL_URL, OFFICIAL_MD5, RECORDS_PER_FILE);
    }

    /** Another source of the same archive format (a mirror, or a test server with a smaller archive). */
    public Cifar10Download(URI url, String md5, int recordsPerFile) {
        this.url = url;
        this.md5 = md5.toLowerCase(Locale.ROOT);
        this.recordsPerFile = recordsPerFile;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(ProxySelector.getDefault()).connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** Tests shorten the stall limit instead of waiting a minute. */
    Cifar10Download stallAfter(Duration limit) {
        this.stall = limit;
        return this;
    }

    /** ~/Kiln/datasets/cifar-10-batches-bin for this user. */
    public static Path standardFolder() {
        return Path.of(System.getProperty("user.home"), "Kiln", "datasets", FOLDER_NAME);
    }

    /** A download or unpacking that did not work; the message says why in plain words and what to do. */
    public static final class DownloadException extends IOException {
        public DownloadException(String message) {
            super(message);
        }

        public DownloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Downloads, checks and unpacks the archive so that {@code target} becomes the cifar-10-batches-bin
     * folder. {@code target} must not exist yet (or be empty). Cancelling through {@code progress} throws
     * {@link Progress.CancelledException}; in every failure nothing is left in the target's parent.
     */
    public Path download(Path target, Progress progress) throws DownloadException {
        Path dest = target.toAbsolutePath().normalize();
        if (Files.exists(dest) && !isEmptyDirectory(dest)) {
            throw new DownloadException(dest + " already exists and is not empty; "
                    + (check(dest, recordsPerFile).isEmpty() ? "it already holds CIFAR-10, so there is nothing to download"
                    : "move it away or choose another folder"));
        }
        Path parent = dest.getParent();
        Path work;
        try {
            Files.createDirectories(parent);
            work = Files.createTempDirectory(parent, ".cifar-10-download-");
        } catch (IOException e) {
            throw new DownloadException("cannot create the folder " + parent + ": " + e.getMessage()
                    + "; choose a folder you can write to", e);
        }
        try {
            Path archive = work.resolve("cifar-10-binary.tar.gz");
            fetch(archive, progress);
            progress.update(0.9, "Unpacking CIFAR-10");
            Path unpacked = work.resolve("unpacked");
            extractTarGz(archive, unpacked, progress);
            Path batches = unpacked.resolve(FOLDER_NAME);
            List<String> problems = check(batches, recordsPerFile);
            if (!problems.isEmpty()) {
                throw new DownloadException("the archive from " + url + " does not hold the CIFAR-10 binary version: "
                        + String.join("; ", problems));
            }
            if (Files.exists(dest)) Files.delete(dest); // the empty folder checked above
            try {
                Files.move(batches, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(batches, dest);
            }
            progress.update(1, "CIFAR-10 is ready in " + dest);
            return dest;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new DownloadException(dest + " appeared while downloading; move it away or choose another folder", e);
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException("unpacking CIFAR-10 into " + parent + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private void fetch(Path archive, Progress progress) throws DownloadException {
        HttpResponse<InputStream> response = connect(progress);
        if (response.statusCode() != 200) {
            closeQuietly(response.body());
            throw new DownloadException("the server answered " + response.statusCode() + " for " + url + ". " + offlineHelp());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest digest = md5Digest();
        long done = 0;
        // A blocked read notices neither Cancel nor a dead connection: a watchdog closes the stream under it.
        InputStream body = response.body();
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cifar-10 download watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastData.get() > stall.toNanos()) stalled.set(true);
            if (progress.isCancelled() || stalled.get()) closeQuietly(body);
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        try (InputStream in = body; OutputStream out = Files.newOutputStream(archive)) {
            byte[] buf = new byte[1 << 16];
            int n;
            long lastReport = -1;
            while ((n = in.read(buf)) > 0) {
                lastData.set(System.nanoTime());
                progress.checkCancelled();
                out.write(buf, 0, n);
                digest.update(buf, 0, n);
                done += n;
                if (done - lastReport >= (1 << 20) || done == total) {
                    lastReport = done;
                    progress.update(total > 0 ? 0.9 * done / total : -1, String.format(Locale.ROOT,
                            "Downloading CIFAR-10: %.1f%s MB", done / 1e6, total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6) : ""));
                }
            }
        } catch (IOException e) {
            progress.checkCancelled();
            if (stalled.get()) {
                throw new DownloadException("the download from " + url + " stalled: no data for " + stall.toSeconds()
                        + " seconds after " + done + " bytes; try again. " + offlineHelp(), e);
            }
            throw new DownloadException("the download from " + url + " broke off after " + done + " bytes ("
                    + describe(e) + "); try again", e);
        } finally {
            watchdog.shutdownNow();
        }
        if (total > 0 && done != total) {
            throw new DownloadException("the download from " + url + " ended after " + done + " of " + total
                    + " bytes; try again");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(md5)) {
            throw new DownloadException("the downloaded archive is damaged: its MD5 checksum is " + actual
                    + " but CIFAR-10's is " + md5 + "; nothing was kept, try again");
        }
    }

    /** Sends the request, waiting in short steps so that Cancel works while the server is slow to answer. */
    private HttpResponse<InputStream> connect(Progress progress) throws DownloadException {
        progress.update(-1, "Connecting to " + url.getHost());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET().build();
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        while (true) {
            if (progress.isCancelled()) {
                pending.cancel(true);
                pending.thenAccept(r -> closeQuietly(r.body()));
                throw new Progress.CancelledException();
            }
            try {
                return pending.get(WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // check Cancel again
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                throw new Progress.CancelledException();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                for (Throwable c = cause; c != null; c = c.getCause()) {
                    if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException || c instanceof UnknownHostException) {
                        throw new DownloadException("cannot reach " + url.getHost() + " (" + describe(c) + "). " + offlineHelp(), e);
                    }
                }
                throw new DownloadException("the download from " + url + " failed (" + describe(cause) + "). " + offlineHelp(), e);
            }
        }
    }

    /**
     * Why {@code folder} is not a usable CIFAR-10 binary folder (empty when it is): the five training
     * batches and the test batch, each {@code recordsPerFile} records of 3,073 bytes.
     */
    public static List<String> check(Path folder, int recordsPerFile) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            problems.add(folder + " is not a folder");
            return problems;
        }
        long expected = (long) recordsPerFile * Cifar10Reader.RECORD;
        List<String> files = new ArrayList<>(Cifar10Reader.TRAIN_FILES);
        files.add(Cifar10Reader.TEST_FILE);
        for (String name : files) {
            Path f = folder.resolve(name);
            if (!Files.isRegularFile(f)) {
                problems.add(name + " is missing");
                continue;
            }
            try {
                long size = Files.size(f);
                if (size != expected) {
                    problems.add(name + " is " + size + " bytes instead of " + expected + " (truncated or not CIFAR-10)");
                }
            } catch (IOException e) {
                problems.add(name + " cannot be read: " + e.getMessage());
            }
        }
        return problems;
    }

    /** {@link #check(Path, int)} for the real data set. */
    public static List<String> check(Path folder) {
        return check(folder, RECORDS_PER_FILE);
    }

    /**
     * A copy the user points at: the folder itself, or a folder holding cifar-10-batches-bin (where the
     * archive was unpacked). Returns the batches folder, or explains what is wrong with it.
     */
    public static Path locate(Path chosen) throws DataFormatException {
        Path dir = chosen.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(Cifar10Reader.TEST_FILE)) && Files.isDirectory(dir.resolve(FOLDER_NAME))) {
            dir = dir.resolve(FOLDER_NAME);
        }
        List<String> problems = check(dir);
        if (!problems.isEmpty()) {
            throw new DataFormatException(dir, "is not a complete CIFAR-10 binary folder: " + String.join("; ", problems)
                    + ". Choose the folder " + FOLDER_NAME + " unpacked from cifar-10-binary.tar.gz");
        }
        return dir;
    }

    /** What to do by hand when Kiln cannot download (no internet, a proxy, a firewall). */
    public static String offlineHelp() {
        return "Without internet here, fetch the 'CIFAR-10 binary version' " + OFFICIAL_URL
                + " (about 170 MB, MD5 " + OFFICIAL_MD5 + ") on another computer, unpack it (tar xzf cifar-10-binary.tar.gz) "
                + "and copy its folder " + FOLDER_NAME + " to " + standardFolder()
                + ", or anywhere and point the project at it";
    }

    private static boolean isEmptyDirectory(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- tar.gz

    /**
     * Unpacks regular files and folders of a gzipped tar (ustar/GNU) into {@code into}. Entries whose
     * names would leave {@code into} are refused; links and other special entries are skipped.
     */
    static void extractTarGz(Path archive, Path into, Progress progress) throws IOException {
        Files.createDirectories(into);
        Path base = into.toAbsolutePath().normalize();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            String longName = null;
            while (true) {
                progress.checkCancelled();
                if (!readFully(in, header) || isZeroBlock(header)) return; // end of archive
                long size = parseOctal(header, 124, 12);
                char type = (char) header[156];
                String name = longName != null ? longName : entryName(header);
                longName = null;
                if (type == 'L') { // GNU long name: the data is the next entry's name
                    byte[] data = readBytes(in, size);
                    longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                    skip(in, padding(size));
                    continue;
                }
                Path target = base.resolve(name).normalize();
                if (!target.startsWith(base) || name.isEmpty()) {
                    throw new IOException("the archive holds an entry named '" + name + "' outside its folder; it is not CIFAR-10");
                }
                if (type == '0' || type == '\0') {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(in, out, size, progress);
                    }
                } else {
                    if (type == '5') Files.createDirectories(target);
                    skip(in, size);
                }
                skip(in, padding(size));
            }
        }
    }

    private static String entryName(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix = "ustar".equals(cString(h, 257, 5)) ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] b, int off, int len) throws IOException {
        String s = cString(b, off, len).trim();
        if (s.isEmpty()) return 0;
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("the archive has a damaged entry header (size '" + s + "')");
        }
    }

    private static boolean isZeroBlock(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static long padding(long size) {
        return (512 - size % 512) % 512;
    }

    /** False at the end of the stream before the first byte; a partial buffer is a truncated archive. */
    private static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                if (off == 0) return false;
                throw new EOFException("the archive ends in the middle of an entry");
            }
            off += n;
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        if (size > 1 << 20) throw new IOException("the archive has an entry name of " + size + " bytes; it is not CIFAR-10");
        byte[] b = new byte[(int) size];
        if (!readFully(in, b)) throw new EOFException("the archive ends in the middle of an entry");
        return b;
    }

    private static void copy(InputStream in, OutputStream out, long size, Progress progress) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new EOFException("the archive ends in the middle of a file");
            out.write(buf, 0, n);
            left -= n;
            progress.checkCancelled();
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("the archive ends in the middle of an entry");
                s = 1;
            }
            left -= s;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the response is discarded anyway
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temporary folder is harmless; it starts with a dot and says what it is
        }
    }
}
