package dev.signet.server.artifact;

import java.net.URI;

/**
 * Where the upstream publishes an artifact's detached signature: a template over the artifact's absolute URL,
 * {@code {url}.minisig} by default. Supported placeholders: {@code {url}} (the artifact URL without fragment) and
 * {@code {filename}}.
 */
public record SignatureLocation(String template) {

    public static final SignatureLocation DEFAULT = new SignatureLocation("{url}.minisig");

    public SignatureLocation {
        if (!template.contains("{url}") && !template.contains("{filename}")) {
            throw new IllegalArgumentException("signature template must contain {url} or {filename}: " + template);
        }
    }

    public URI signatureOf(URI artifactUrl, String filename) {
        String url = artifactUrl.toString();
        int hash = url.indexOf('#');
        if (hash >= 0) {
            url = url.substring(0, hash);
        }
        return URI.create(template.replace("{url}", url).replace("{filename}", filename));
    }
}
