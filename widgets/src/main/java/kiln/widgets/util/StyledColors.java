package kiln.widgets.util;

import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

import java.util.List;
import java.util.function.Function;

/**
 * Colour properties that a widget drawing on a canvas (or off the JavaFX thread) sets from CSS, so its
 * pictures follow the theme: widgets.css gives them the theme's looked-up colours, and a theme change sets
 * them anew, which the widget hears to redraw. One instance per widget class.
 */
public final class StyledColors<S extends Region> {

    private final StyleablePropertyFactory<S> factory = new StyleablePropertyFactory<>(Region.getClassCssMetaData());

    /** A colour set by {@code cssName} (e.g. "-kiln-text-color"); {@code fallback} until the stylesheet applies. */
    public StyleableObjectProperty<Color> color(S widget, String cssName, Function<S, StyleableObjectProperty<Color>> field,
                                                Color fallback) {
        return new SimpleStyleableObjectProperty<>(factory.createColorCssMetaData(cssName, s -> field.apply(s), fallback, false),
                widget, cssName.substring(1), fallback);
    }

    /** For the widget's {@code getCssMetaData()}. */
    public List<CssMetaData<? extends Styleable, ?>> cssMetaData() {
        return factory.getCssMetaData();
    }

    /** The stylesheet that sets these colours (and the widgets' other looks). */
    public static String stylesheet() {
        return StyledColors.class.getResource("/kiln/widgets/widgets.css").toExternalForm();
    }
}
