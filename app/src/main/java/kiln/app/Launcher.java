package kiln.app;

import javafx.application.Application;
import kiln.engine.cli.KilnCommand;
import kiln.engine.nativesupport.NativeSetup;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of kiln.jar: with a command it runs headless, without one it opens the app.
 * A plain class (not an Application) so that JavaFX on the class path starts without module flags.
 */
public final class Launcher {

    private Launcher() { }

    public static void main(String[] args) {
        NativeSetup.prepare(); // before anything touches ND4J
        if (args.length > 0) {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            System.exit(KilnCommand.run(args, out, err));
        }
        Thread warmUp = new Thread(NativeSetup::warmUp, "engine warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        Application.launch(KilnApp.class, args);
    }
}
