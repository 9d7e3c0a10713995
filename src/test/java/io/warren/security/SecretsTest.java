package io.warren.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    void passwordsAreSaltedAndVerified() {
        String first = Secrets.hashPassword("correct horse".toCharArray());
        assertNotEquals(first, Secrets.hashPassword("correct horse".toCharArray()), "salted");
        assertTrue(Secrets.passwordMatches("correct horse".toCharArray(), first));
        assertFalse(Secrets.passwordMatches("Correct horse".toCharArray(), first));
        assertFalse(Secrets.passwordMatches("x".toCharArray(), "sha256:abc"));
    }

    @Test
    void apiKeysAreLongRandomAndUnique() {
        String key = Secrets.newApiKey();
        assertTrue(key.matches("wk_[A-Za-z0-9_-]{43}"), key);
        assertNotEquals(key, Secrets.newApiKey());
    }

    @Test
    void credentialsFileIgnoresPlainSecretsAndUnknownRolesLineByLine(@TempDir Path dir) throws Exception {
        // a bad line is logged and grants nothing; the file's other lines still count
        Path file = dir.resolve("credentials");
        String good = Secrets.newApiKey();
        Files.writeString(file, "key ci submit plain-text-key\nkey ok read sha256:" + Secrets.sha256(good) + "\n");
        Credentials plain = new Credentials(file, null);
        assertThrows(Credentials.Refused.class, () -> plain.byApiKey("plain-text-key"));
        assertTrue(plain.byApiKey(good).may(Role.READ));
        Files.writeString(file, "key ci wizard sha256:" + "a".repeat(64) + "\nkey late read sha256:x expires=never\n");
        assertTrue(new Credentials(file, null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Credentials(Path.of("/nonexistent"), "ci:submit:plain"));
    }

    @Test
    void aKeyIsFoundByItsHashOnly() throws Exception {
        String key = Secrets.newApiKey();
        Credentials credentials = new Credentials(Path.of("/nonexistent"), "ci:submit+read:" + Secrets.sha256(key));
        assertTrue(credentials.byApiKey(key).may(Role.READ));
        assertThrows(Credentials.Refused.class, () -> credentials.byApiKey(Secrets.sha256(key)));
    }
}
