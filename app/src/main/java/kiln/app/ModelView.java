package kiln.app;

import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import kiln.app.document.DocumentView;
import kiln.app.document.ProjectDocument;
import kiln.app.document.ViewContext;
import kiln.app.follow.FollowSamplePane;
import kiln.engine.layout.AutoLayout;
import kiln.widgets.graph.GraphEditor;

import java.util.function.Consumer;

/** The "Model" tab: the graph editor on the open project's network, refreshed after every change. */
public final class ModelView implements DocumentView {

    private final ProjectDocument document;
    private final GraphEditor editor;
    private final ChangeListener<Number> onRevision;
    private final FollowSamplePane follow;
    private final ChangeListener<java.util.List<kiln.engine.runs.LayerDynamics>> onDynamics =
            (o, a, rows) -> showDynamics(rows);

    public ModelView(ViewContext context) {
        this.document = context.document();
        editor = new GraphEditor(document.project().graph(), document::execute, context.executor());
        editor.readOnlyProperty().bind(document.lockedProperty());
        onRevision = (o, a, b) -> editor.refresh();
        document.revisionProperty().addListener(onRevision);
        follow = new FollowSamplePane(document, context.executor(), editor);
        document.layerDynamicsProperty().addListener(onDynamics);
        showDynamics(document.layerDynamicsProperty().get());
    }

    /** Each learning layer shows a sparkline of its steps over the epochs of the latest run. */
    private void showDynamics(java.util.List<kiln.engine.runs.LayerDynamics> rows) {
        editor.canvas().setBadges(kiln.widgets.charts.LayerSparklines.of(rows));
    }

    @Override
    public Node node() {
        return follow.node();
    }

    /** The "Follow a sample" bar and the larger layer view. */
    public FollowSamplePane follow() {
        return follow;
    }

    public GraphEditor editor() {
        return editor;
    }

    public void autoLayout(AutoLayout.Orientation orientation) {
        editor.autoLayout(orientation);
    }

    public void zoomToFit() {
        editor.canvas().zoomToFit();
    }

    public void setOnMessage(Consumer<String> onMessage) {
        editor.setOnMessage(onMessage);
    }

    @Override
    public void dispose() {
        document.revisionProperty().removeListener(onRevision);
        follow.dispose();
        document.layerDynamicsProperty().removeListener(onDynamics);
        editor.readOnlyProperty().unbind();
    }
}
