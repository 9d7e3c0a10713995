package io.warren.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.warren.http.ApiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Optional JSON Schema per job type: {@code <type>.schema.json} next to the job type's route file.
 * A job that does not match is refused with the list of violations. Schemas are re-read within a
 * second of a change; a $ref may point into the same file or to the standard meta-schemas, never to the
 * network.
 */
public class JobSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_VIOLATIONS = 20;

    /** A type's schema as last read; null schema: the type has none. */
    private record Loaded(FileTime modified, JsonSchema schema, long checkedAtNanos) {
    }

    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();
    private Path folder = Path.of("routes");

    public void setFolder(String folder) {
        this.folder = Path.of(folder);
    }

    /** Throws a 400 listing the violations when the type has a schema and the payload breaks it. */
    public void check(String type, JsonNode payload) {
        JsonSchema schema = schemaOf(type);
        if (schema == null) {
            return;
        }
        Set<ValidationMessage> violations = schema.validate(payload);
        if (!violations.isEmpty()) {
            List<String> listed = violations.stream().map(ValidationMessage::getMessage).sorted().limit(MAX_VIOLATIONS).toList();
            throw new ApiError(400, "schema_violation", "The job does not match the schema of '" + type + "': "
                    + String.join("; ", listed));
        }
    }

    /** The file is looked at once a second at most per type, not on every job. */
    private JsonSchema schemaOf(String type) {
        long now = System.nanoTime();
        Loaded loaded = cache.get(type);
        if (loaded != null && now - loaded.checkedAtNanos() < 1_000_000_000L) {
            return loaded.schema();
        }
        Path file = folder.resolve(type + ".schema.json");
        try {
            if (!Files.isRegularFile(file)) {
                cache.put(type, new Loaded(null, null, now));
                return null;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            JsonSchema schema = loaded != null && modified.equals(loaded.modified())
                    ? loaded.schema()
                    : load(JSON.readTree(file.toFile()));
            cache.put(type, new Loaded(modified, schema, now));
            return schema;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The schema " + file + " of job type '" + type + "' cannot be used: " + e.getMessage(), e);
        }
    }

    private static JsonSchema load(JsonNode node) {
        SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
                .orElse(SpecVersion.VersionFlag.V202012);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version, builder -> builder.schemaLoaders(loaders ->
                loaders.values(list -> list.add(0, iri -> {
                    String text = iri.toString();
                    if (text.startsWith("classpath:") || text.startsWith("resource:")) {
                        return null; // the bundled meta-schemas
                    }
                    throw new IllegalArgumentException("a schema may not load " + text);
                }))));
        return factory.getSchema(node);
    }
}
