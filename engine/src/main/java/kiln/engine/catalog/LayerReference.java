package kiln.engine.catalog;

import kiln.engine.params.ParamSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes docs/layers.md from the layer catalog, so the reference can never say something the catalog
 * does not. LayerReferenceTest fails when the committed file differs from {@link #markdown()}.
 */
public final class LayerReference {

    public static final String REFRESH_COMMAND = "mvn -B -ntp -o test -Dtest=LayerReferenceTest -Dkiln.refreshDocs=true";

    private LayerReference() { }

    /** Writes the reference to the file given as the only argument (docs/layers.md). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LayerReference docs/layers.md");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Layer reference\n\n");
        md.append("Generated from Kiln's layer catalog (`kiln.engine.catalog.LayerCatalog`) by\n");
        md.append("`kiln.engine.catalog.LayerReference`; do not edit by hand. After changing a layer, refresh it with\n\n");
        md.append("    ").append(REFRESH_COMMAND).append("\n\n");
        md.append("Shapes are written (height, width, channels) for images, (n) for vectors and (length, features) for\n");
        md.append("sequences; the batch dimension is left out. k is a kernel or pool size, s a stride.\n\n");
        md.append("| Layer | Category | Inputs | What it does |\n|---|---|---|---|\n");
        for (LayerType t : LayerCatalog.all()) {
            md.append("| [").append(t.displayName()).append("](#").append(anchor(t)).append(") | ")
                    .append(t.category().displayName()).append(" | ").append(inputs(t)).append(" | ")
                    .append(cell(firstSentence(t.explanation()))).append(" |\n");
        }
        for (LayerType t : LayerCatalog.all()) {
            md.append("\n## ").append(t.displayName()).append("\n\n");
            md.append("Category: ").append(t.category().displayName()).append(" · id in project files: `")
                    .append(t.id()).append("` · inputs: ").append(inputs(t)).append("\n\n");
            md.append(t.explanation()).append("\n\n");
            md.append("- Output shape: ").append(t.shapeFormula()).append("\n");
            md.append("- Parameter count: ").append(t.paramCountFormula()).append("\n\n");
            if (t.params().isEmpty()) {
                md.append("No settings.\n");
                continue;
            }
            md.append("| Setting | Key | Type | Default | Allowed | Help |\n|---|---|---|---|---|---|\n");
            for (ParamSpec p : t.params()) {
                md.append("| ").append(cell(p.label())).append(" | `").append(p.name()).append("` | ")
                        .append(type(p)).append(" | ").append(cell(String.valueOf(p.defaultValue()))).append(" | ")
                        .append(cell(p.describeAllowed())).append(" | ").append(cell(p.help())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String type(ParamSpec p) {
        return switch (p.kind()) {
            case INT -> "whole number";
            case DOUBLE -> "number";
            case CHOICE -> "choice";
            case BOOLEAN -> "yes/no";
        };
    }

    private static String inputs(LayerType t) {
        if (t.maxInputs() == Integer.MAX_VALUE) return t.minInputs() + " or more";
        if (t.minInputs() == t.maxInputs()) return Integer.toString(t.minInputs());
        return t.minInputs() + " to " + t.maxInputs();
    }

    /** GitHub's heading anchors: lower case, spaces to dashes, other punctuation dropped. */
    private static String anchor(LayerType t) {
        return t.displayName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
