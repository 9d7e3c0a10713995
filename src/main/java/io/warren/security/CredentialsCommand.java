package io.warren.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code java -jar warren.jar credentials …}: adds API keys and users to the credentials file that
 * a running warren re-reads. Prints a new key once; the file keeps only hashes.
 */
public final class CredentialsCommand {

    private static final String USAGE = """
            usage: java -jar warren.jar credentials add-key <name> <roles> [expires=<ISO-8601>]
                   java -jar warren.jar credentials add-user <name> <roles> [expires=<ISO-8601>]   (password on stdin)
                   java -jar warren.jar credentials hash-key                                          (key on stdin)
            roles: submit, read, admin, joined by ',' (e.g. submit,read)
            file:  WARREN_SECURITY_CREDENTIALS_FILE, else $WARREN_DATA_DIR/credentials, else ./data/credentials
            """;

    private CredentialsCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length >= 4 && args[1].equals("add-key")) {
                String key = Secrets.newApiKey();
                Credentials.append(file(), line("key", args, "sha256:" + Secrets.sha256(key)));
                out.println(key);
                err.println("Added API key '" + args[2] + "' to " + file() + ". It is shown this once.");
                return 0;
            }
            if (args.length >= 4 && args[1].equals("add-user")) {
                String password = readSecret("Password for " + args[2] + ": ");
                if (password.length() < 12) {
                    err.println("A password needs at least 12 characters.");
                    return 2;
                }
                Credentials.append(file(), line("user", args, Secrets.hashPassword(password.toCharArray())));
                err.println("Added user '" + args[2] + "' to " + file() + ".");
                return 0;
            }
            if (args.length == 2 && args[1].equals("hash-key")) {
                out.println(Secrets.sha256(readSecret("API key: ")));
                return 0;
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            return 2;
        }
        err.print(USAGE);
        return 2;
    }

    private static String line(String kind, String[] args, String secret) {
        if (!args[2].matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("A name is 1 to 64 of A-Z a-z 0-9 . _ @ -");
        }
        if (args.length < 4) {
            throw new IllegalArgumentException("Give the roles: submit, read, admin (e.g. submit,read)");
        }
        Role.parse(args[3]);
        String expires = "";
        if (args.length > 4) {
            if (!args[4].startsWith("expires=")) {
                throw new IllegalArgumentException("The last argument is expires=<ISO-8601>, e.g. expires=2027-01-01T00:00:00Z");
            }
            Instant.parse(args[4].substring("expires=".length()));
            expires = " " + args[4];
        }
        return kind + " " + args[2] + " " + args[3] + " " + secret + expires;
    }

    private static Path file() {
        String file = System.getenv("WARREN_SECURITY_CREDENTIALS_FILE");
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        String data = System.getenv("WARREN_DATA_DIR");
        return Path.of(data == null || data.isBlank() ? "data" : data, "credentials");
    }

    private static String readSecret(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword(prompt);
            return typed == null ? "" : new String(typed);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line.strip();
    }
}
