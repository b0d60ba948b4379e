package dev.signet.server.access;

import java.util.regex.Pattern;

/**
 * One basic-auth user as configured, in htpasswd's bcrypt form {@code name:$2y$10$...} (what {@code htpasswd -nbB}
 * prints). Only the hash is kept: Signet never sees a clear-text password in its configuration.
 */
public record BcryptUser(String name, String hash) {

    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    public static BcryptUser parse(String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected NAME:BCRYPT-HASH (as htpasswd -nbB prints), got an entry without a name");
        }
        String name = entry.substring(0, colon);
        String hash = entry.substring(colon + 1).trim();
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("user '" + name + "': not a bcrypt hash ($2y$COST$ and 53 characters)");
        }
        return new BcryptUser(name, hash);
    }

    /** The entry with its hash replaced, for printing the configuration. */
    public String redacted() {
        return name + ":<redacted>";
    }

    @Override
    public String toString() {
        return redacted();
    }
}
