package kiln.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiln.engine.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The projects opened last, newest first, kept in a small JSON file ({@code recent.json}) written atomically.
 * A damaged file is treated as an empty list rather than stopping the app.
 */
public final class RecentProjects {

    public static final int LIMIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public RecentProjects(Path file) {
        this.file = file;
    }

    /** Newest first; folders that no longer hold a project are left out. */
    public List<Path> list() {
        List<Path> out = new ArrayList<>();
        try {
            if (!Files.isRegularFile(file)) return out;
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode items = root == null ? null : root.get("recent");
            if (items == null || !items.isArray()) return out;
            for (JsonNode n : items) {
                Path p = Path.of(n.asText());
                if (Files.isRegularFile(p.resolve("project.json"))) out.add(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Kiln: ignoring the unreadable list of recent projects " + file + ": " + e.getMessage());
        }
        return out;
    }

    /** Puts a project folder at the top of the list. */
    public void add(Path folder) throws IOException {
        Path abs = folder.toAbsolutePath().normalize();
        List<Path> items = new ArrayList<>(list());
        items.remove(abs);
        items.add(0, abs);
        while (items.size() > LIMIT) items.remove(items.size() - 1);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("recent");
        items.forEach(p -> arr.add(p.toString()));
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
