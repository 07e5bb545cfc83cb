package kiln.widgets;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds text a student cannot read whole: labels, buttons and table cells that the layout cut short. A
 * Labeled's skin draws its text in a Text child; when the space is too small the skin puts an ellipsis
 * there instead of the end of the text ("Stratified (same class mix in ever..."), which is what is looked for.
 */
public final class TextFits {

    private TextFits() { }

    /**
     * Every showing Labeled under {@code root} whose drawn text was cut, as "its text → what is drawn";
     * nodes with a style class in {@code skip} (and what they hold) are left out: they shorten on purpose.
     */
    public static List<String> cutShort(Parent root, String... skip) {
        List<String> cut = new ArrayList<>();
        visit(root, List.of(skip), cut);
        return cut;
    }

    private static void visit(Node n, List<String> skip, List<String> cut) {
        if (!n.isVisible() || n.getStyleClass().stream().anyMatch(skip::contains)) return;
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            Text drawn = drawnText(l);
            String ellipsis = l.getEllipsisString();
            if (drawn != null && drawn.getText() != null && drawn.getText().contains(ellipsis) && !l.getText().contains(ellipsis)) {
                cut.add(l.getText() + " → " + drawn.getText());
            }
        }
        if (n instanceof Parent p) for (Node child : p.getChildrenUnmodifiable()) visit(child, skip, cut);
    }

    private static Text drawnText(Labeled l) {
        for (Node child : l.getChildrenUnmodifiable()) {
            if (child instanceof Text t && t.getStyleClass().contains("text")) return t;
        }
        return null;
    }
}
