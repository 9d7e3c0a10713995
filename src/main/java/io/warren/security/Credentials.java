package io.warren.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials warren accepts: API keys and basic-auth users, from the credentials file
 * (re-read within a second of a change, so keys can be added without a restart) and from the
 * warren.security.api-keys setting. Only hashes are kept. File lines:
 * <pre>
 * key  &lt;name&gt; &lt;roles&gt; sha256:&lt;hex&gt;   [expires=&lt;ISO-8601&gt;]
 * user &lt;name&gt; &lt;roles&gt; pbkdf2:&lt;iterations&gt;:&lt;salt&gt;:&lt;hash&gt; [expires=…]
 * </pre>
 */
public class Credentials {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Credentials.class);
    /** Verified against when the user name is unknown, so that path is as slow as a wrong password. */
    private static final String UNKNOWN_USER_HASH = Secrets.hashPassword("no such user".toCharArray());

    /** Why a credential was refused, said to the client without telling which part was wrong. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private record Entry(String kind, String name, Set<Role> roles, String secret, Instant expires) {
    }

    private final Path file;
    private final List<Entry> configured;
    private volatile List<Entry> fromFile = List.of();
    private volatile FileTime loadedAt;
    /** The file is looked at once a second at most, not on every request. */
    private volatile long checkedAtNanos;
    /** Verified basic-auth headers (by hash): PBKDF2 is deliberately slow, so it runs once per password. */
    private final Map<String, Principal> verifiedPasswords = new ConcurrentHashMap<>();

    public Credentials(Path file, String configuredKeys) {
        this.file = file;
        this.configured = parseConfigured(configuredKeys);
        reloadIfChanged();
    }

    public boolean isEmpty() {
        reloadIfChanged();
        return configured.isEmpty() && fromFile.isEmpty();
    }

    public Principal byApiKey(String key) throws Refused {
        reloadIfChanged();
        String hash = Secrets.sha256(key);
        for (Entry entry : all()) {
            if (entry.kind().equals("key") && Secrets.hashMatches(entry.secret().substring("sha256:".length()), hash)) {
                return valid(entry);
            }
        }
        throw new Refused("Invalid API key");
    }

    public Principal byPassword(String user, String password) throws Refused {
        reloadIfChanged();
        String cacheKey = Secrets.sha256(user + "\u0000" + password);
        Principal known = verifiedPasswords.get(cacheKey);
        boolean userExists = false;
        for (Entry entry : all()) {
            if (entry.kind().equals("user") && entry.name().equals(user)) {
                userExists = true;
                if (known != null || Secrets.passwordMatches(password.toCharArray(), entry.secret())) {
                    Principal principal = valid(entry);
                    verifiedPasswords.put(cacheKey, principal);
                    return principal;
                }
            }
        }
        if (!userExists) {
            // an unknown user costs the same one PBKDF2 as a wrong password: timing does not tell names apart
            Secrets.passwordMatches(password.toCharArray(), UNKNOWN_USER_HASH);
        }
        throw new Refused("Invalid user name or password");
    }

    /** First start with no credential: makes an admin key, keeps its hash, returns the key to show once. */
    public Optional<String> createAdminKeyIfNone() {
        if (!isEmpty()) {
            return Optional.empty();
        }
        String key = Secrets.newApiKey();
        append(file, "key admin admin sha256:" + Secrets.sha256(key));
        checkedAtNanos = 0;
        loadedAt = null;
        reloadIfChanged();
        return Optional.of(key);
    }

    /** Adds a line to a credentials file, created readable by its owner only. */
    public static void append(Path file, String line) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on other file systems
                }
            }
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write credentials file " + file, e);
        }
    }

    private Principal valid(Entry entry) throws Refused {
        if (entry.expires() != null && entry.expires().isBefore(Instant.now())) {
            throw new Refused("Credential expired");
        }
        return new Principal(entry.name(), entry.roles());
    }

    private List<Entry> all() {
        List<Entry> all = new ArrayList<>(configured);
        all.addAll(fromFile);
        return all;
    }

    private void reloadIfChanged() {
        long now = System.nanoTime();
        if (loadedAt != null && now - checkedAtNanos < 1_000_000_000L) {
            return;
        }
        checkedAtNanos = now;
        try {
            if (!Files.exists(file)) {
                fromFile = List.of();
                loadedAt = FileTime.fromMillis(0);
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            List<Entry> entries = new ArrayList<>();
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                try {
                    entries.add(parseLine(trimmed, file + " line " + number));
                } catch (RuntimeException e) {
                    // fails closed for that line only: the others (and revocations) take effect
                    LOG.error("Credentials file {} line {} is ignored: {}", file, number, e.getMessage());
                }
            }
            fromFile = List.copyOf(entries);
            verifiedPasswords.clear();
            loadedAt = modified;
        } catch (IOException e) {
            LOG.error("Cannot read credentials file {} ({}); keeping the credentials read before", file, e.getMessage());
        }
    }

    private static Entry parseLine(String line, String where) {
        String[] parts = line.split("\\s+");
        if (parts.length < 4 || !(parts[0].equals("key") || parts[0].equals("user"))) {
            throw new IllegalArgumentException(where + ": expected 'key|user <name> <roles> <hash> [expires=…]'");
        }
        String secret = parts[3];
        if (parts[0].equals("key") && !secret.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException(where + ": an API key is stored as sha256:<64 hex digits>");
        }
        if (parts[0].equals("user") && !secret.startsWith("pbkdf2:")) {
            throw new IllegalArgumentException(where + ": a password is stored as pbkdf2:… (see 'warren credentials add-user')");
        }
        if (parts.length > 5 || (parts.length == 5 && !parts[4].startsWith("expires="))) {
            throw new IllegalArgumentException(where + ": after the hash only expires=<ISO-8601> may follow");
        }
        Instant expires = null;
        if (parts.length > 4) {
            try {
                expires = Instant.parse(parts[4].substring("expires=".length()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": expires= needs an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
        return new Entry(parts[0], parts[1], Role.parse(parts[2]), secret, expires);
    }

    /** warren.security.api-keys: {@code name:roles:sha256hex} entries, comma-separated, roles joined by '+'. */
    private static List<Entry> parseConfigured(String text) {
        List<Entry> entries = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return entries;
        }
        for (String item : text.split(",")) {
            String[] parts = item.strip().split(":");
            if (parts.length != 3 || !parts[2].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("warren.security.api-keys: expected name:roles:sha256hex entries");
            }
            entries.add(new Entry("key", parts[0], Role.parse(parts[1]), "sha256:" + parts[2], null));
        }
        return entries;
    }
}
