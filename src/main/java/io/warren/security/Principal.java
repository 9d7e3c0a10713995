package io.warren.security;

import java.util.Set;

/** Who made a request: the credential's name and roles. */
public record Principal(String name, Set<Role> roles) {

    public boolean may(Role required) {
        return roles.contains(Role.ADMIN) || roles.contains(required);
    }
}
