package io.warren;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the jars of the plugins folder (WARREN_PLUGINS_DIR, default ./plugins) on the class path, so
 * a user's processor bean can be named in a route file without rebuilding warren.
 */
final class Plugins {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private Plugins() {
    }

    static ClassLoader classLoader(ClassLoader parent) {
        String dir = System.getProperty("warren.plugins.dir", System.getenv("WARREN_PLUGINS_DIR"));
        Path folder = Path.of(dir == null || dir.isBlank() ? "plugins" : dir);
        if (!Files.isDirectory(folder)) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path jar : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jar")).sorted()::iterator) {
                jars.add(jar.toUri().toURL());
                LOG.info("Plugin jar on the class path: {}", jar);
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read plugins folder " + folder, e);
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }
}
