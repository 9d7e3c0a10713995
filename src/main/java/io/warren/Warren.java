package io.warren;

import io.warren.observe.Monitor;
import io.warren.security.CredentialsCommand;
import io.warren.types.JobTypeFolder;
import java.util.Objects;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Starts warren: a camel-main application whose routes live in YAML files. Beans and routes are
 * declared elsewhere; this class only wires the settings files, plugins and the exit code.
 */
public final class Warren {

    private Warren() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("credentials")) {
            System.exit(CredentialsCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("monitor")) {
            System.exit(Monitor.run(args, System.out, System.err));
        }
        Thread.currentThread().setContextClassLoader(Plugins.classLoader(Warren.class.getClassLoader()));
        Main main = newMain();
        int code;
        try {
            code = main.run(args);
        } catch (Throwable failure) {
            // Exit instead of hanging on the broker client's non-daemon threads.
            LoggerFactory.getLogger(Warren.class).error("warren failed to start: {}", startFailure(main, failure), failure);
            code = 1;
        }
        System.exit(code);
    }

    /** Why the start failed: with the file and line when a route file's route is at fault (JobTypeFolder). */
    private static String startFailure(Main main, Throwable failure) {
        try {
            return main.getMainListeners().stream().filter(JobTypeFolder.class::isInstance)
                    .map(folder -> ((JobTypeFolder) folder).startFailure(failure)).filter(Objects::nonNull)
                    .findFirst().orElse(failure.getMessage());
        } catch (RuntimeException unexpected) {
            return failure.getMessage(); // the exit below must happen whatever went wrong here
        }
    }

    /** warren as a camel-main application, not started: its settings, its wiring, its routes folder. */
    public static Main newMain() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(Settings.LOCATIONS);
        main.addMainListener(new Settings());
        // wiring by area; beans are made when first needed, so the order below only decides what
        // happens first at start: the port check, then the broker, then the database
        main.configure().addConfiguration(new HttpConfiguration());
        main.configure().addConfiguration(new BrokerConfiguration());
        main.configure().addConfiguration(new StoreConfiguration());
        main.configure().addConfiguration(new ObserveConfiguration());
        main.configure().addConfiguration(new IntakeConfiguration());
        main.configure().addConfiguration(new WorkerConfiguration());
        main.configure().addConfiguration(new AdminConfiguration());
        main.configure().addConfiguration(new FleetConfiguration());
        main.addMainListener(new JobTypeFolder());
        return main;
    }
}
