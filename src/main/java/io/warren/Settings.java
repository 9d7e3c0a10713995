package io.warren;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Ordered;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.util.IOHelper;

/**
 * Where settings come from, highest precedence first: -D system properties, environment variables
 * (WARREN_HTTP_PORT for warren.http.port), the operator's application.properties in the working
 * directory (or the file WARREN_CONFIG names), the built-in defaults (the repository's
 * application.properties, packaged in the jar), then Camel wiring.
 *
 * <p>Camel itself lets environment variables beat system properties, so they are served here, by a
 * properties source ranked above the files, and Camel's own environment lookup is turned off.
 */
final class Settings extends MainListenerSupport implements PropertiesSource, Ordered {

    /** Camel ranks locations by position: the first one that has a key wins. */
    static final String LOCATIONS = "file:" + operatorFile() + ";optional=true,"
            + "classpath:defaults/application.properties,"
            + "classpath:warren-camel.properties";

    @Override
    public void beforeInitialize(BaseMainSupport main) {
        PropertiesComponent properties = (PropertiesComponent) main.getCamelContext().getPropertiesComponent();
        properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        properties.addPropertiesSource(this);
    }

    @Override
    public String getName() {
        return "environment";
    }

    @Override
    public String getProperty(String name) {
        return IOHelper.lookupEnvironmentVariable(name);
    }

    /** Below system properties (checked before any source), above the files (ranked from 100). */
    @Override
    public int getOrder() {
        return 1;
    }

    /** A secret from its setting, or from the file named by its *-file setting (Docker secrets). */
    static String secret(String value, String file) {
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file.trim())).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read secret file " + file, e);
            }
        }
        return value == null ? "" : value;
    }

    private static String operatorFile() {
        String file = System.getProperty("warren.config", System.getenv("WARREN_CONFIG"));
        return file == null || file.isBlank() ? "application.properties" : file;
    }
}
