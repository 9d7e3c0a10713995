package io.warren.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a credential may do. {@code admin} may do everything. */
public enum Role {
    /** create jobs */
    SUBMIT,
    /** job status, queues, metrics, the dashboard */
    READ,
    /** dead letters, purge and delete, commands, pause and resume */
    ADMIN;

    /** Parses "submit,read" or "admin+read". */
    public static Set<Role> parse(String text) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : text.split("[,+]")) {
            if (!part.isBlank()) {
                try {
                    roles.add(valueOf(part.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown role '" + part.trim() + "'; roles are submit, read, admin");
                }
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("A credential needs at least one role: submit, read, admin");
        }
        return roles;
    }
}
