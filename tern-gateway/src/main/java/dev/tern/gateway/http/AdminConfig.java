package dev.tern.gateway.http;

import java.nio.file.Path;

/**
 * The operator endpoints under /admin.
 *
 * @param token     bearer token the endpoints require; empty turns them off (they answer 404)
 * @param backupDir directory that online backups are written under, one subdirectory each
 */
public record AdminConfig(String token, Path backupDir) {
    public static final AdminConfig OFF = new AdminConfig("", Path.of("backups"));

    public AdminConfig {
        if (token == null || backupDir == null) {
            throw new IllegalArgumentException("token and backupDir must be set");
        }
        if (!token.isEmpty() && token.length() < 16) {
            throw new IllegalArgumentException("the admin token must be at least 16 characters");
        }
    }

    public boolean enabled() {
        return !token.isEmpty();
    }

    /** The token is a secret: never printed. */
    @Override
    public String toString() {
        return "AdminConfig[token=" + (enabled() ? "(set)" : "(off)") + ", backupDir=" + backupDir + "]";
    }
}
