package kiln.engine.catalog;

import kiln.engine.params.ParamSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** docs/layers.md is generated from the catalog; this test keeps the committed file in step with it. */
class LayerReferenceTest {

    private static final Path FILE = Path.of("docs", "layers.md");

    @Test
    void docsLayersMdMatchesTheCatalog() throws Exception {
        String expected = LayerReference.markdown();
        if (Boolean.getBoolean("kiln.refreshDocs")) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        if (!Files.exists(FILE)) fail(FILE.toAbsolutePath() + " is missing; create it with: " + LayerReference.REFRESH_COMMAND);
        String actual = Files.readString(FILE, StandardCharsets.UTF_8);
        if (!actual.equals(expected)) {
            fail(FILE.toAbsolutePath() + " is out of date with the layer catalog (first difference at line "
                    + firstDifferentLine(actual, expected) + "); refresh it with: " + LayerReference.REFRESH_COMMAND);
        }
    }

    @Test
    void everyLayerHasItsSectionWithFormulasAndEverySetting() {
        String md = LayerReference.markdown();
        for (LayerType t : LayerCatalog.all()) {
            int start = md.indexOf("\n## " + t.displayName() + "\n");
            assertTrue(start >= 0, "section for " + t.displayName());
            int end = md.indexOf("\n## ", start + 1);
            String section = md.substring(start, end < 0 ? md.length() : end);
            assertTrue(section.contains(t.explanation()), t.id());
            assertTrue(section.contains("- Output shape: " + t.shapeFormula()), t.id());
            assertTrue(section.contains("- Parameter count: " + t.paramCountFormula()), t.id());
            assertTrue(section.contains("`" + t.id() + "`"), t.id());
            for (ParamSpec p : t.params()) {
                assertTrue(section.contains("| `" + p.name() + "` |") && section.contains(p.describeAllowed().replace("|", "\\|")),
                        t.id() + "." + p.name());
            }
        }
        String conv = md.substring(md.indexOf("\n## Conv2D\n"));
        assertTrue(conv.contains("| Kernel size | `kernel` | whole number | 3 | a whole number from 1 to 15 | Width and height of each square filter. |"),
                "a row reads label, key, type, default, range, help");
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int i = 0;
        while (i < Math.min(x.length, y.length) && x[i].equals(y[i])) i++;
        return i + 1;
    }
}
