package dev.signet.provenance;

import java.util.Locale;

/**
 * An operator's pin of the Trusted Publisher a project's files must come from, written {@code github:OWNER/REPO},
 * {@code gitlab:NAMESPACE/PROJECT} or {@code google:SERVICE-ACCOUNT-EMAIL}. It names the identity only: which workflow
 * of that repository signed is still checked against the certificate (the publisher object says which). Repository
 * names compare case-insensitively, as GitHub and GitLab treat them.
 */
public record PublisherPin(String kind, String identity) {

    public PublisherPin {
        kind = kind.toLowerCase(Locale.ROOT);
        identity = identity.toLowerCase(Locale.ROOT);
    }

    /** Parses {@code kind:identity}; throws {@link IllegalArgumentException} with a one-line reason. */
    public static PublisherPin parse(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String identity = colon < 0 ? "" : text.substring(colon + 1).trim();
        boolean valid = switch (kind) {
            case "github" -> identity.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
            case "gitlab" -> identity.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
            case "google" -> identity.matches("[^@\\s]+@[^@\\s]+");
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("'" + text + "' is not a publisher (write github:OWNER/REPO,"
                    + " gitlab:NAMESPACE/PROJECT or google:SERVICE-ACCOUNT-EMAIL)");
        }
        return new PublisherPin(kind, identity);
    }

    /** Whether {@code publisher} is the one this pin names. */
    public boolean matches(TrustedPublisher publisher) {
        if (publisher instanceof TrustedPublisher.GitHub github) {
            return kind.equals("github") && identity.equals(github.repository().toLowerCase(Locale.ROOT));
        }
        if (publisher instanceof TrustedPublisher.GitLab gitlab) {
            return kind.equals("gitlab") && identity.equals(gitlab.repository().toLowerCase(Locale.ROOT));
        }
        if (publisher instanceof TrustedPublisher.Google google) {
            return kind.equals("google") && identity.equals(google.email().toLowerCase(Locale.ROOT));
        }
        return false;
    }

    @Override
    public String toString() {
        return kind + ":" + identity;
    }
}
