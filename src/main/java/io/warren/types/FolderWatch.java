package io.warren.types;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder's *.yaml files on a thread of its own and hands each changed (created, edited,
 * deleted) file over once the folder has been quiet for 300 ms, so a file still being written is
 * read once, whole. At its start it hands over every file the caller says changed since it last
 * looked.
 */
final class FolderWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatch.class);
    private static final long QUIET_MILLIS = 300;

    private final Path folder;
    private final WatchService watcher;
    private final Consumer<Path> onChange;

    private FolderWatch(Path folder, WatchService watcher, Consumer<Path> onChange) {
        this.folder = folder;
        this.watcher = watcher;
        this.onChange = onChange;
    }

    static FolderWatch start(Path folder, Consumer<Path> onChange, Predicate<Path> changedMeanwhile) throws IOException {
        WatchService watcher = FileSystems.getDefault().newWatchService();
        folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        FolderWatch watch = new FolderWatch(folder, watcher, onChange);
        Thread thread = new Thread(() -> watch.run(changedMeanwhile), "warren-routes-watcher");
        thread.setDaemon(true);
        thread.start();
        return watch;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("Closing the routes watcher", e);
        }
    }

    private void run(Predicate<Path> changedMeanwhile) {
        try {
            yamlFiles(folder).stream().filter(changedMeanwhile).forEach(onChange);
        } catch (RuntimeException e) {
            LOG.error("Reading the routes folder {} again failed", folder, e);
        }
        try {
            while (true) {
                Set<Path> changed = new LinkedHashSet<>();
                WatchKey key = watcher.take();
                while (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.context() instanceof Path name && name.toString().endsWith(".yaml")) {
                            changed.add(folder.resolve(name));
                        }
                    }
                    key.reset();
                    key = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                }
                changed.forEach(onChange);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            LOG.debug("Routes watcher closed");
        }
    }

    static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list routes folder " + folder, e);
        }
    }

    /** The file's text, or null when it is not there (deleted). */
    static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
