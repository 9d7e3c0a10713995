package io.warren.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders a test made outside JUnit's {@code @TempDir}: removed when it is done with them. */
final class Folders {

    private Folders() {
    }

    /**
     * Removes the folder and everything in it, as far as it can: a file a process still holds open
     * (a browser's profile) is left, and the test does not fail for it.
     */
    static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException inUse) {
                    // left behind
                }
            });
        } catch (IOException | java.io.UncheckedIOException gone) {
            // removed meanwhile
        }
    }
}
