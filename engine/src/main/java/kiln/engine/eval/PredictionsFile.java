package kiln.engine.eval;

import java.util.List;
import java.util.Locale;

/**
 * Every test sample's prediction as CSV: index (in the test split), true class, predicted class (at the evaluation's
 * decision threshold) and one probability column per class, named {@code p_<class>}.
 */
public final class PredictionsFile {

    private PredictionsFile() { }

    public static String csv(Evaluation e) {
        StringBuilder sb = new StringBuilder("index,true,predicted");
        for (String c : e.classNames()) sb.append(',').append(quoted("p_" + c));
        sb.append('\n');
        List<String> names = e.classNames();
        for (int i = 0; i < e.size(); i++) {
            sb.append(i).append(',').append(quoted(names.get(e.actual()[i]))).append(',').append(quoted(names.get(e.predicted(i))));
            for (int c = 0; c < e.classCount(); c++) sb.append(String.format(Locale.ROOT, ",%.6f", e.probability(i, c)));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A numeric target's predictions: index (in the test split), true value and predicted value, in the target's unit. */
    public static String csv(RegressionEvaluation r) {
        StringBuilder sb = new StringBuilder("index,true,predicted\n");
        for (int i = 0; i < r.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s%n", i, r.actual()[i], r.predicted()[i]));
        }
        return sb.toString();
    }

    /** RFC 4180: a value with a comma, quote or line break goes in quotes, its quotes doubled. */
    static String quoted(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
