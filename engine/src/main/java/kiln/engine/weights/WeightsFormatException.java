package kiln.engine.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weights file that Kiln refuses to read. The message is one line for a student: the file, what is wrong
 * and what to do.
 */
public final class WeightsFormatException extends IOException {

    WeightsFormatException(Path file, String problemAndFix) {
        super(oneLine(file + " " + problemAndFix));
    }

    WeightsFormatException(Path file, String problemAndFix, Throwable cause) {
        super(oneLine(file + " " + problemAndFix), cause);
    }

    // tensor names and paths come from outside and may hold line breaks
    private static String oneLine(String message) {
        return message.replaceAll("\\p{Cntrl}", " ");
    }
}
