package kiln.app.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** Small pieces the tabs build their layouts from, so that every tab's headings look the same. */
public final class ViewParts {

    private ViewParts() { }

    /** Takes the free width of an HBox, pushing what follows it to the right. */
    public static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    /** A heading over one part of a tab (kiln.css: section-title). */
    public static Label sectionTitle(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }
}
