package dev.signet.server.index;

import dev.signet.server.upstream.Credentials;
import dev.signet.server.upstream.UpstreamClient;
import dev.signet.sig.Keyring;
import java.net.URI;
import java.util.Objects;

/**
 * One upstream index: its name (for pins and logs), its simple-API URL (without credentials), the keys trusted for
 * files it lists, the credentials sent only to its own host, and how its project pages are checked. A file is verified with the keyring of the upstream
 * that listed it, so a key trusted for one index never vouches for a file of another.
 */
public record Origin(String name, URI simpleUrl, Keyring keyring, Credentials credentials, PageSignatures pages) {

    /** An upstream whose pages are not signed ({@code signed-pages: off}). */
    public Origin(String name, URI simpleUrl, Keyring keyring, Credentials credentials) {
        this(name, simpleUrl, keyring, credentials, PageSignatures.OFF);
    }

    public Origin {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(keyring, "keyring");
        Objects.requireNonNull(credentials, "credentials");
        URI bare = Credentials.withoutUserInfo(simpleUrl);
        simpleUrl = bare.toString().endsWith("/") ? bare : URI.create(bare + "/");
    }

    @Override
    public String toString() {
        return name + " (" + UpstreamClient.redacted(simpleUrl) + ")";
    }
}
