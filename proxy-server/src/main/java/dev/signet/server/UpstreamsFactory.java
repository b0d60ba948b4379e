package dev.signet.server;

import dev.signet.server.config.ConfigException;
import dev.signet.server.config.ExtraUpstreamConfig;
import dev.signet.server.config.KeyringFactory;
import dev.signet.server.config.SignetConfig;
import dev.signet.pages.PagePolicy;
import dev.signet.pages.PageVerifier;
import dev.signet.pages.SignedPagesMode;
import dev.signet.server.config.SignedPagesConfig;
import dev.signet.server.index.Origin;
import dev.signet.server.index.PageSignatures;
import dev.signet.server.index.Pins;
import dev.signet.server.upstream.Credentials;
import dev.signet.sig.Keyring;
import dev.signet.sig.TrustedKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Builds the upstreams of a configuration: the primary ({@code upstream}, {@code trusted-keys}) first, then every
 * {@code extra-upstreams} entry, each with its own keyring and credentials; and the pins.
 */
final class UpstreamsFactory {

    /**
     * @param origins  the upstreams, primary first
     * @param allKeys  every upstream's keys together: used only to re-verify cached files of unpinned projects, which
     *                 any upstream may list (they were verified with their own upstream's keys when they were filled)
     */
    record Upstreams(List<Origin> origins, Pins pins, Keyring allKeys) {

        /**
         * The keys a cached file of {@code project} is re-verified with (after a restart, a change on disk, a scrub):
         * a pinned project's upstream's keys alone, so another index's key can never vouch for it, even for a file
         * planted in the cache; every upstream's keys for an unpinned project, which every upstream may serve.
         */
        Keyring reverificationKeys(String project) {
            return pins.upstreamOf(project)
                    .flatMap(name -> origins.stream().filter(o -> o.name().equals(name)).findFirst())
                    .map(Origin::keyring)
                    .orElse(allKeys);
        }
    }

    private UpstreamsFactory() {
    }

    /** Page keys always require {@code file:index.json}: a page signature names its file, as format 1 defines. */
    private static PageSignatures pageSignatures(SignedPagesConfig pages, List<String> revoked, PagePolicy policy)
            throws ConfigException {
        if (pages.mode() == SignedPagesMode.OFF) {
            return PageSignatures.OFF;
        }
        Keyring keys = KeyringFactory.build("page-keys", pages.pageKeys(), revoked, true);
        return new PageSignatures(pages.mode(), new PageVerifier(keys, policy));
    }

    static Upstreams build(SignetConfig config) throws ConfigException {
        List<Origin> origins = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Keyring primary = KeyringFactory.build(config.trustedKeys(), config.revokedKeys(), config.requireFileName());
        PagePolicy pagePolicy = config.upstreams().pagePolicy();
        origins.add(new Origin(config.upstreams().primaryName(), config.upstream(), primary,
                Credentials.of(config.upstream(), config.upstreams().primaryToken()),
                pageSignatures(config.upstreams().primaryPages(), config.revokedKeys(), pagePolicy)));
        for (ExtraUpstreamConfig extra : config.upstreams().extras()) {
            try {
                Keyring keys = KeyringFactory.build(extra.trustedKeys(), config.revokedKeys(), config.requireFileName());
                origins.add(new Origin(extra.name(), extra.url(), keys, Credentials.of(extra.url(), extra.token()),
                        pageSignatures(extra.pages(), config.revokedKeys(), pagePolicy)));
            } catch (ConfigException e) {
                e.errors().forEach(error -> errors.add("extra-upstreams " + extra.name() + ": " + error));
            }
        }
        Pins pins = new Pins(config.upstreams().pins());
        Keyring all;
        try {
            LinkedHashSet<TrustedKey> keys = new LinkedHashSet<>();
            origins.forEach(o -> keys.addAll(o.keyring().keys()));
            all = new Keyring(List.copyOf(keys), primary.revoked(), primary.fileNamePolicy());
        } catch (IllegalArgumentException e) {
            errors.add("trusted keys of the upstreams: " + e.getMessage());
            all = primary;
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new Upstreams(List.copyOf(origins), pins, all);
    }
}
