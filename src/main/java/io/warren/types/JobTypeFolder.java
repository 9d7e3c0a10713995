package io.warren.types;

import io.warren.broker.JobTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes folder (warren.routes.dir): loads every *.yaml at start, then watches the folder. A
 * new file goes live, an edited file replaces its own routes (the others keep running), a deleted
 * file removes its routes, and a broken edit leaves the previous version running.
 *
 * <p>Camel's own route reloading cannot do this for job types: it does not create templated routes
 * on reload (RouteBuilder.updateRoutesToCamelContext skips populateTemplatedRoutes) and never
 * removes the routes of a deleted file.
 */
public class JobTypeFolder extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobTypeFolder.class);
    /** The id a route or templated route in a YAML file declares. */
    private static final java.util.regex.Pattern ROUTE_ID = java.util.regex.Pattern.compile("(?m)^\\s*-?\\s*(?:routeId|id):\\s*(\\S+)\\s*$");

    private final Map<Path, Set<String>> routesByFile = new HashMap<>();
    private final Map<Path, String> goodContentByFile = new HashMap<>();
    /** What each file held when it was last applied, good or not. */
    private final Map<Path, String> seenContentByFile = java.util.Collections.synchronizedMap(new HashMap<>());
    private CamelContext context;
    private Path folder;
    private FolderWatch watch;
    private JobTypes types;
    private JobTopology topology;

    @Override
    public void afterConfigure(BaseMainSupport main) {
        context = main.getCamelContext();
        types = context.getRegistry().lookupByNameAndType("jobTypes", JobTypes.class);
        topology = context.getRegistry().lookupByNameAndType("jobTopology", JobTopology.class);
        folder = Path.of(context.getPropertiesComponent().resolveProperty("warren.routes.dir").orElse("./routes"))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            LOG.warn("Routes folder {} does not exist: no job types from files until it is created", folder);
            return;
        }
        for (Path file : FolderWatch.yamlFiles(folder)) {
            apply(file);
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try {
            // files that came or changed between the first load and the watch's start (warren
            // already answers HTTP then) are applied too; an unchanged one is not read twice
            watch = FolderWatch.start(folder, this::apply,
                    file -> !java.util.Objects.equals(FolderWatch.read(file), seenContentByFile.get(file)));
            LOG.info("Watching {} for job type files (*.yaml)", folder);
        } catch (IOException e) {
            LOG.error("Cannot watch routes folder {}: job type files will not reload", folder, e);
        }
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        if (watch != null) {
            watch.close();
        }
    }

    /** Brings the routes of one file in line with what is on disk now. */
    synchronized void apply(Path file) {
        seenContentByFile.put(file, FolderWatch.read(file));
        Set<String> typesBefore = typesOf(routesByFile.getOrDefault(file, Set.of()));
        try {
            applyChange(file);
        } finally {
            unbindGone(typesBefore);
        }
    }

    private void applyChange(Path file) {
        String previous = goodContentByFile.get(file);
        String current = FolderWatch.read(file);
        if (current != null && current.isBlank()) {
            return; // being written; the write that fills it triggers another apply
        }
        if (current != null && current.equals(previous)) {
            return;
        }
        String name = file.getFileName().toString();
        if (current == null) {
            removeRoutes(file);
            goodContentByFile.remove(file);
            types.fileInvalid(name, null);
            LOG.info("Job type file {} deleted: its routes are removed", name);
            return;
        }
        String claimed = claimedElsewhere(file, current);
        if (claimed != null) {
            // refused before anything is loaded: the other file's routes are not touched at all
            types.fileInvalid(name, claimed);
            LOG.error("Job type file {} is refused whole: {}{}", name, claimed,
                    previous == null ? "" : "; its previous version keeps running");
            return;
        }
        removeRoutes(file);
        try {
            Set<String> ids = load(file, current);
            routesByFile.put(file, ids);
            goodContentByFile.put(file, current);
            types.fileInvalid(name, null);
            LOG.info("Job type file {} loaded: routes {}", name, ids);
        } catch (Exception e) {
            String why;
            try {
                why = RouteFileError.describe(e, routesByFile, this::definition);
            } finally {
                removeRoutes(file); // what the broken version defined before it failed
            }
            boolean previousRuns = false;
            if (previous != null) {
                try {
                    routesByFile.put(file, load(file, previous));
                    previousRuns = true;
                } catch (Exception again) {
                    removeRoutes(file);
                    LOG.error("The previous version of {} failed to load too", name, again);
                }
            }
            // reported (API and log) once the previous version runs again, so whoever reads it finds it running
            types.fileInvalid(name, why);
            LOG.error("Job type file {} is invalid: {}{}", name, why, previousRuns ? "; the previous version keeps running" : "");
        }
    }

    private Set<String> typesOf(Set<String> routes) {
        return types.names().stream().filter(type -> routes.contains(types.routeOf(type))).collect(Collectors.toSet());
    }

    /**
     * A type the file had and no route serves any more (deleted, renamed): new jobs stop reaching
     * its work queue, unless another instance still consumes it. Not on an edit that keeps the type,
     * so no job published meanwhile misses the queue.
     */
    private void unbindGone(Set<String> typesBefore) {
        for (String type : typesBefore) {
            if (!types.isKnown(type)) {
                try {
                    LOG.info("Job type '{}' is gone: its work queue {} is kept with what it holds (delete it with "
                            + "DELETE /api/v1/queues/{name}){}", type, topology.workQueue(type),
                            topology.unbindType(type) ? " and unbound" : ", still bound: another instance consumes it");
                } catch (RuntimeException e) {
                    LOG.warn("Could not unbind the work queue of job type '{}': {}", type, e.getMessage());
                }
            }
        }
    }

    /**
     * Loads the file's routes. On failure, what it added is left defined and recorded as the
     * file's, for the caller to describe (its lines) and then remove, so nothing half-loaded stays.
     */
    private Set<String> load(Path file, String content) throws Exception {
        Set<String> before = routeIds();
        Resource resource = ResourceHelper.fromString("file:" + file, content);
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        } catch (Exception e) {
            Set<String> leftovers = new TreeSet<>(routeIds());
            leftovers.removeAll(before);
            routesByFile.put(file, leftovers);
            throw e;
        }
        Set<String> added = new TreeSet<>(routeIds());
        added.removeAll(before);
        return added;
    }

    /**
     * A route id this file declares that another file's route already has: Camel would replace that
     * route silently. Read from the text, before loading, so the other file is not touched. Null if none.
     */
    private String claimedElsewhere(Path file, String content) {
        java.util.regex.Matcher ids = ROUTE_ID.matcher(content);
        while (ids.find()) {
            String id = ids.group(1).replaceAll("^[\"']|[\"']$", "");
            for (Map.Entry<Path, Set<String>> other : routesByFile.entrySet()) {
                if (!other.getKey().equals(file) && other.getValue().contains(id)) {
                    return "route id '" + id + "' is already taken by " + other.getKey().getFileName()
                            + ", which keeps running; give this file's route another id";
                }
            }
        }
        return null;
    }

    /** A failed start (a route of a file that cannot be created or started) said with its file and line; else null. */
    public String startFailure(Throwable failure) {
        String route = RouteFileError.routeOf(failure);
        if (route == null) {
            return null; // (TreeSet.contains(null) would throw)
        }
        for (Map.Entry<Path, Set<String>> file : routesByFile.entrySet()) {
            if (file.getValue().contains(route)) {
                return "Job type file " + file.getKey().getFileName() + " is invalid: "
                        + RouteFileError.describe(failure, routesByFile, this::definition);
            }
        }
        return null;
    }

    private RouteDefinition definition(String routeId) {
        return context == null ? null : model().getRouteDefinition(routeId);
    }

    private void removeRoutes(Path file) {
        for (String id : routesByFile.getOrDefault(file, Set.of())) {
            try {
                RouteDefinition definition = model().getRouteDefinition(id);
                if (definition != null) {
                    model().removeRouteDefinition(definition); // stops and removes the running route too
                }
            } catch (Exception e) {
                LOG.error("Could not remove route {} of {}", id, file.getFileName(), e);
            }
        }
        routesByFile.remove(file);
    }

    /** Route ids from the model: at start-up the routes are defined but not yet created. */
    private Set<String> routeIds() {
        return model().getRouteDefinitions().stream().map(RouteDefinition::getRouteId)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private ModelCamelContext model() {
        return (ModelCamelContext) context;
    }
}
