package dev.tern.core.auth;

import dev.tern.core.ErrorCode;
import dev.tern.core.Failure;

import java.util.Locale;
import java.util.regex.Pattern;

/** Username rules: 3..32 characters of [a-z0-9_.] after lower-casing. */
public final class Usernames {
    private static final Pattern VALID = Pattern.compile("[a-z0-9_.]{3,32}");

    private Usernames() {}

    /** The canonical form, or {@code USERNAME_INVALID}. */
    public static String canonical(String raw) {
        String name = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        if (!VALID.matcher(name).matches()) {
            throw new Failure(ErrorCode.USERNAME_INVALID,
                    "username must be 3-32 characters of a-z, 0-9, '_' and '.'");
        }
        return name;
    }

    /** Canonical form for lookups, or null when the name cannot exist (so lookups fail uniformly). */
    public static String canonicalOrNull(String raw) {
        String name = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        return VALID.matcher(name).matches() ? name : null;
    }
}
