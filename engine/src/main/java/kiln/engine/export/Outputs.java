package kiln.engine.export;

import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes export results so that a failure leaves nothing half-written: a temporary file or folder, then a move. */
public final class Outputs {

    private Outputs() { }

    public interface FolderWriter {
        void write(Path folder) throws IOException, ExportException;
    }

    public static void writeFile(Path file, AtomicFiles.Writer writer) throws ExportException {
        Path target = file.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new ExportException(target + " is a folder; give a file name, e.g. " + target.resolve("model.onnx"));
        }
        try {
            AtomicFiles.write(target, writer);
            readable(target);
        } catch (IOException e) {
            throw unwritable(target, e);
        }
    }

    /**
     * Fills a fresh temporary folder beside {@code folder} and then puts it in its place. An existing folder is
     * replaced only when {@code marker} shows it is an earlier export of the same kind.
     */
    public static void writeFolder(Path folder, String marker, FolderWriter writer) throws ExportException {
        Path target = folder.toAbsolutePath().normalize();
        if (Files.isRegularFile(target)) {
            throw new ExportException(target + " is a file; give the name of a new folder to export into");
        }
        if (Files.isDirectory(target) && !isEmpty(target) && !Files.exists(target.resolve(marker))) {
            throw new ExportException(target + " already holds other files; give the name of a new folder");
        }
        Path tmp = null;
        Path old = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            writer.write(tmp);
            try (Stream<Path> all = Files.walk(tmp)) {
                for (Path p : all.toList()) readable(p);
            }
            if (Files.exists(target)) {
                old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old.");
                Files.delete(old);
                Files.move(target, old);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            if (old != null && !Files.exists(target)) moveBack(old, target);
            throw unwritable(target, e);
        } finally {
            deleteQuietly(tmp);
            if (old != null && Files.exists(target)) deleteQuietly(old);
        }
    }

    /** Temporary files are private to the user; an export is meant to be shared, so give it the usual permissions. */
    private static void readable(Path p) throws IOException {
        if (!Files.getFileStore(p).supportsFileAttributeView("posix")) return;
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static void moveBack(Path old, Path target) {
        try {
            Files.move(old, target);
        } catch (IOException ignored) {
            // the earlier export stays under its temporary name; the error we report is the first one
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    static ExportException unwritable(Path target, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "a folder on the way does not exist"
                : e instanceof FileAlreadyExistsException ? "a file is in the way of a folder it needs"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e instanceof FileSystemException ? "the file system refused it"
                : e.getMessage();
        return new ExportException("Cannot write " + target + " (" + why + "); choose a folder you can write to.", e);
    }

    static void deleteQuietly(Path p) {
        if (p == null || !Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is hidden (dot name) and harmless
        }
    }
}
