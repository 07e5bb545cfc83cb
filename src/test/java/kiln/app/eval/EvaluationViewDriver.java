package kiln.app.eval;

/** Lets the screenshot program (in kiln.app) reach the evaluation view's package-private test hooks. */
public final class EvaluationViewDriver {

    private EvaluationViewDriver() { }

    public static boolean evaluated(EvaluationView v) {
        return v.result() != null;
    }

    /** Selects the most frequent confusion, the cell a student would click first, and shows its images. */
    public static void showWorstConfusion(EvaluationView v) {
        int[][] c = v.result().confusion();
        int br = 0, bc = 1;
        for (int r = 0; r < c.length; r++) {
            for (int k = 0; k < c.length; k++) {
                if (r != k && c[r][k] > c[br][bc]) {
                    br = r;
                    bc = k;
                }
            }
        }
        v.matrix().select(br, bc);
        v.matrix().onCellClickedProperty().get().clicked(br, bc);
    }

    /** Draws a handwritten-looking 7 on the Try it pad: the top bar, then the slanted stem. */
    public static void drawSeven(EvaluationView v) {
        v.pad().drawStroke(7, 7.5, 12, 6.8, 17, 6.6, 21, 7);
        v.pad().drawStroke(21, 7, 18.5, 12, 16, 17, 14, 22);
    }

    /** Moves a yes/no run's threshold slider, as a student dragging it would. */
    public static void setThreshold(EvaluationView v, double threshold) {
        v.threshold().slider().setValue(threshold);
    }
}
