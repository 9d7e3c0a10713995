package io.warren;

/**
 * Where settings come from, lowest precedence first: Camel wiring, the built-in defaults (the
 * repository's application.properties, packaged in the jar), then the operator's
 * application.properties in the working directory (or WARREN_CONFIG). Environment variables
 * (WARREN_HTTP_PORT for warren.http.port) and -D system properties override all files.
 */
final class Settings {

    static final String LOCATIONS = "classpath:warren-camel.properties,"
            + "classpath:defaults/application.properties,"
            + "file:" + operatorFile() + ";optional=true";

    private Settings() {
    }

    private static String operatorFile() {
        String file = System.getProperty("warren.config", System.getenv("WARREN_CONFIG"));
        return file == null || file.isBlank() ? "application.properties" : file;
    }
}
