package kiln.widgets.params;

import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.Priority;
import javafx.util.Duration;
import javafx.util.StringConverter;
import kiln.engine.params.ParamSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Edits a list of {@link ParamSpec}s, one row each: a text field for numbers (or a spinner for whole numbers), a list
 * for choices, a check box for yes/no, the help as a tooltip and optionally below the row. A typed value that is not
 * a number or is outside the parameter's range is refused here, with a message naming the range; an allowed value
 * goes to the host, which records it (undoably) or refuses it. Either way a refused value is put back.
 */
public final class ParamEditor extends GridPane {

    /** Records a changed value; returns false when the host refused it (and said why). */
    @FunctionalInterface
    public interface Change {
        boolean apply(ParamSpec spec, Object value);
    }

    /**
     * How the rows look.
     * @param idPrefix      each editor's id is this plus the parameter's name ("param-filters")
     * @param spinners      whole numbers in spinners whose arrows step within the range, instead of text fields
     * @param helpStyleClass when not null, each parameter's help is shown below its row in a label of this class
     */
    public record Look(String idPrefix, boolean spinners, String helpStyleClass) { }

    private final Function<String, Object> current;
    private final Change change;
    private final Consumer<String> refusal;
    private final Map<String, Runnable> refreshers = new LinkedHashMap<>();
    private final Map<String, List<javafx.scene.Node>> rows = new LinkedHashMap<>();
    private final List<Control> editors = new ArrayList<>();
    private Predicate<String> relevant = name -> true;
    private boolean refreshing;

    /**
     * @param current the value each parameter has now, by name
     * @param refusal shows why a typed value was refused (the host's message area)
     */
    public ParamEditor(List<ParamSpec> specs, Look look, Function<String, Object> current, Change change,
                       Consumer<String> refusal) {
        this.current = current;
        this.change = change;
        this.refusal = refusal;
        getStyleClass().add("param-editor");
        setHgap(8);
        setVgap(look.helpStyleClass() == null ? 6 : 2);
        int row = 0;
        for (ParamSpec spec : specs) {
            Label label = new Label(spec.label());
            label.setMinWidth(Region.USE_PREF_SIZE); // the field gives way, never the name
            Control editor = editor(spec, look.spinners());
            editor.setId(look.idPrefix() + spec.name());
            editor.setMaxWidth(Double.MAX_VALUE);
            Tooltip tip = tooltip(spec.help() + "\nAllowed: " + spec.describeAllowed() + ".");
            editor.setTooltip(tip);
            Tooltip.install(label, tip);
            GridPane.setHgrow(editor, Priority.ALWAYS);
            add(label, 0, row);
            add(editor, 1, row++);
            List<javafx.scene.Node> parts = new ArrayList<>(List.of(label, editor));
            if (look.helpStyleClass() != null) {
                Label help = new Label(spec.help());
                help.getStyleClass().add(look.helpStyleClass());
                help.setWrapText(true);
                add(help, 0, row++, 2, 1);
                parts.add(help);
            }
            rows.put(spec.name(), parts);
            editors.add(editor);
        }
        refresh();
    }

    /** Which parameters apply to the current values (others are hidden); applied at each {@link #refresh()}. */
    public void setRelevance(Predicate<String> relevant) {
        this.relevant = relevant;
        refresh();
    }

    /** Puts the current values into the editors (after an edit, undo or redo), without treating it as an edit. */
    public void refresh() {
        refreshing = true;
        try {
            refreshers.values().forEach(Runnable::run);
        } finally {
            refreshing = false;
        }
        rows.forEach((name, parts) -> {
            boolean shown = relevant.test(name);
            for (javafx.scene.Node n : parts) {
                n.setVisible(shown);
                n.setManaged(shown);
            }
        });
    }

    /** The value editors, for hosts that disable them (labels stay enabled so their help still shows). */
    public List<Control> editors() {
        return List.copyOf(editors);
    }

    /** Numbers as a student writes them: 0.001 and 45, not 1.0E-3 and 45.0. */
    public static String plain(Object v) {
        if (v instanceof Double d && Double.isFinite(d)) {
            return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    private Control editor(ParamSpec spec, boolean spinners) {
        String name = spec.name();
        return switch (spec.kind()) {
            case INT -> spinners ? spinner(spec) : numberField(spec);
            case DOUBLE -> numberField(spec);
            case CHOICE -> {
                ComboBox<String> c = new ComboBox<>();
                c.getItems().setAll(spec.choices());
                c.valueProperty().addListener((o, a, b) -> {
                    if (refreshing || b == null || b.equals(current.apply(name))) return;
                    commit(spec, b);
                });
                refreshers.put(name, () -> c.setValue(String.valueOf(current.apply(name))));
                yield c;
            }
            case BOOLEAN -> {
                CheckBox c = new CheckBox();
                c.selectedProperty().addListener((o, a, b) -> {
                    if (!refreshing) commit(spec, b);
                });
                refreshers.put(name, () -> c.setSelected(Boolean.TRUE.equals(current.apply(name))));
                yield c;
            }
        };
    }

    private TextField numberField(ParamSpec spec) {
        String name = spec.name();
        TextField t = new TextField();
        t.setPromptText(spec.describeAllowed());
        Runnable commit = () -> {
            if (refreshing) return;
            String text = t.getText().trim();
            if (text.equals(plain(current.apply(name)))) return;
            Number typed = parse(spec, text);
            if (typed == null) {
                refuse(spec, "'" + text + "' is not " + (spec.kind() == ParamSpec.ParamKind.INT ? "a whole number" : "a number"));
            } else {
                commit(spec, typed);
            }
        };
        t.setOnAction(e -> commit.run());
        t.focusedProperty().addListener((o, was, is) -> {
            if (!is) commit.run();
        });
        refreshers.put(name, () -> t.setText(plain(current.apply(name))));
        return t;
    }

    private Spinner<Integer> spinner(ParamSpec spec) {
        String name = spec.name();
        Spinner<Integer> s = new Spinner<>();
        s.setEditable(true);
        IntFactory f = new IntFactory((int) spec.min(), (int) spec.max());
        s.setValueFactory(f);
        s.valueProperty().addListener((o, a, b) -> {
            if (refreshing) return;
            if (b == null) refuse(spec, "'" + s.getEditor().getText() + "' is not a whole number");
            else if (!b.equals(current.apply(name))) commit(spec, b);
        });
        refreshers.put(name, () -> f.setValue((Integer) current.apply(name)));
        return s;
    }

    private static Number parse(ParamSpec spec, String text) {
        try {
            if (spec.kind() == ParamSpec.ParamKind.INT) return Long.parseLong(text.replace(",", ""));
            double v = Double.parseDouble(text.replace(",", "."));
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Checks the range here, then hands the value to the host; puts the current value back when refused. */
    private void commit(ParamSpec spec, Object value) {
        Object allowed;
        try {
            allowed = spec.coerce(value);
        } catch (ParamSpec.InvalidParamException e) {
            refusal.accept(e.getMessage() + ".");
            refresh();
            return;
        }
        if (!change.apply(spec, allowed)) refresh();
    }

    private void refuse(ParamSpec spec, String why) {
        refusal.accept(spec.label() + ": " + why + "; use " + spec.describeAllowed() + ".");
        refresh();
    }

    /** Help text as a wrapped tooltip that shows soon and stays long enough to read. */
    public static Tooltip tooltip(String text) {
        Tooltip t = new Tooltip(text);
        t.setWrapText(true);
        t.setMaxWidth(320);
        t.setShowDelay(Duration.millis(300));
        t.setShowDuration(Duration.seconds(30));
        return t;
    }

    /**
     * Arrows step within the range, but a typed value is passed on as it is, so that one outside the range is
     * refused with the reason instead of being silently clamped.
     */
    private static final class IntFactory extends SpinnerValueFactory<Integer> {
        private final int min;
        private final int max;

        IntFactory(int min, int max) {
            this.min = min;
            this.max = max;
            setConverter(new StringConverter<>() {
                @Override
                public String toString(Integer v) {
                    return v == null ? "" : v.toString();
                }

                @Override
                public Integer fromString(String s) {
                    try {
                        return Integer.valueOf(s.trim().replace(",", ""));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            });
        }

        @Override
        public void decrement(int steps) {
            Integer v = getValue();
            setValue(Math.max(min, (v == null ? min : v) - steps));
        }

        @Override
        public void increment(int steps) {
            Integer v = getValue();
            setValue(Math.min(max, (v == null ? min : v) + steps));
        }
    }
}
